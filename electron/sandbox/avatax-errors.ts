import { json, type SandboxReply } from './http-kit.js';

/** AvaTax's GetTaxError for an address it cannot use (resolve and create answer alike). */
export function incompleteAddress(description: string, refersTo: string, faultSubCode?: string): SandboxReply {
  return avaError(
    400,
    'GetTaxError',
    300,
    'An Address is incomplete or invalid.',
    'IncorrectData',
    description,
    'Error',
    refersTo,
    faultSubCode,
  );
}

/** AvaTax's error envelope: {error: {code, message, target, details[]}}. */
export function avaError(
  status: number,
  code: string,
  number: number,
  message: string,
  target: string,
  description?: string,
  severity = 'Error',
  refersTo?: string,
  faultSubCode?: string,
): SandboxReply {
  return json(status, {
    error: {
      code,
      message,
      target,
      details: [
        {
          code,
          number,
          message,
          description: description ?? message,
          faultCode: status >= 500 ? 'Server' : 'Client',
          ...(faultSubCode ? { faultSubCode } : {}),
          helpLink: `/avatax/errors/${code}`,
          ...(refersTo ? { refersTo } : {}),
          severity,
        },
      ],
    },
  });
}
