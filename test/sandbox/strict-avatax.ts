import { Ajv } from 'ajv';
import { readApiFixture } from '../helpers/fixtures.js';

/** The official 19.6 definitions, strict: a field the sandbox answers with that AvaTax does not have fails. */
export function strictAvaTax() {
  const swagger = readApiFixture<{ definitions: Record<string, Record<string, unknown>> }>(
    'avatax-19.6-definitions.json',
  );
  const definitions = structuredClone(swagger.definitions);
  for (const def of Object.values(definitions)) if (def.properties) def.additionalProperties = false;
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: 'avatax', definitions }, 'avatax');
  return (name: string, value: unknown) => {
    const validate = ajv.getSchema(`avatax#/definitions/${name}`)!;
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}
