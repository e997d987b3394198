import { describe, expect, it } from 'vitest';
import { flaggedGroups, groupOfDocument } from '../../renderer/src/screens/flagged/groups.js';
import { useFlagged } from '../../renderer/src/stores/flagged.js';
import type { DocumentRow } from '../../shared/ipc-channels.js';

const row = (ref: string, customerNumber: string, customerName: string, locationId?: string): DocumentRow => ({
  key: `invoice:${ref}`,
  documentType: 'invoice',
  referenceNumber: ref,
  customerNumber,
  customerName,
  documentDate: '2026-10-20',
  currency: 'SEK',
  amount: 100,
  totalTax: null,
  bookedTax: null,
  calculatedTax: null,
  state: 'flagged',
  country: 'SE',
  avataxCode: '',
  reason: { code: 'address-city-missing' },
  flag: { reasons: [{ code: 'address-city-missing' }], ...(locationId ? { locationId } : {}) },
});

describe('the flagged workbench opened for one document (Month-end’s Fix address)', () => {
  const rows = [
    row('260005', '10031', 'Jørgensen & Ko'),
    row('260012', '10009', 'Ängsbacka Gård'),
    row('260020', '10001', 'Andersson Bygg', 'OSLO'),
    row('260021', '10001', 'Andersson Bygg'),
    row('260010', '10031', 'Jørgensen & Ko'),
    { ...row('260030', '10002', 'Posted AB'), state: 'posted' as const },
  ];

  it('groups by ship-to, by name, flagged documents only', () => {
    const groups = flaggedGroups(rows, 'sv');
    expect(groups.map((g) => [g.key, g.documents.map((d) => d.referenceNumber)])).toEqual([
      ['10001/OSLO', ['260020']],
      ['10001/', ['260021']],
      ['10031/', ['260005', '260010']],
      ['10009/', ['260012']],
    ]);
  });

  it('finds the group of the document asked for, not the first one in the list', () => {
    const groups = flaggedGroups(rows, 'sv');
    expect(groupOfDocument(groups, 'invoice:260010')).toBe('10031/');
    expect(groupOfDocument(groups, 'invoice:260020')).toBe('10001/OSLO');
    expect(groupOfDocument(groups, 'invoice:260030')).toBeUndefined();
    expect(groupOfDocument(groups, undefined)).toBeUndefined();
  });

  it('the store keeps the document and the screen to return to', () => {
    useFlagged.getState().show('invoice:260010', 'month-end');
    expect(useFlagged.getState()).toMatchObject({ focus: 'invoice:260010', returnTo: 'month-end' });
    useFlagged.getState().show('invoice:260012');
    expect(useFlagged.getState().returnTo).toBeUndefined();
  });
});
