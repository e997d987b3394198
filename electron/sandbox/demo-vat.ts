import type { SettingsInput } from '../../shared/settings.js';
import type { SandboxVat, SandboxVatCategory, SandboxVatZone } from './visma-state.js';

/**
 * The demo company's Visma VAT master data. Categories follow the item class and list the VAT ids of every zone
 * for that class, so that zone ∩ category picks exactly one VAT id. Rates in percent, as Visma shows them.
 */

export const DEMO_VATS: SandboxVat[] = [
  { vatId: 'MP1', description: 'Utgående moms 25 %', type: 'Vat', reverseVat: false, rate: 25, zones: ['01'] },
  { vatId: 'MP2', description: 'Utgående moms 12 %', type: 'Vat', reverseVat: false, rate: 12, zones: ['01'] },
  { vatId: 'MP3', description: 'Utgående moms 6 %', type: 'Vat', reverseVat: false, rate: 6, zones: ['01'] },
  {
    // Open detail: Visma's VAT type enum has no reverse value; reverse charge is the `reverseVat` flag.
    vatId: 'RC-SE',
    description: 'Omvänd skattskyldighet byggtjänster',
    type: 'Vat',
    reverseVat: true,
    rate: 0,
    zones: ['01'],
  },
  {
    vatId: 'EUVF',
    description: 'Försäljning varor till annat EU-land',
    type: 'Vat',
    reverseVat: false,
    rate: 0,
    zones: ['EU'],
  },
  { vatId: 'EXPORT', description: 'Export', type: 'Vat', reverseVat: false, rate: 0, zones: ['EXP'] },
  { vatId: 'OSS-DK25', description: 'OSS Danmark 25 %', type: 'Vat', reverseVat: false, rate: 25, zones: ['OSSDK'] },
  { vatId: 'OSS-DE19', description: 'OSS Tyskland 19 %', type: 'Vat', reverseVat: false, rate: 19, zones: ['OSSDE'] },
  { vatId: 'OSS-DE7', description: 'OSS Tyskland 7 %', type: 'Vat', reverseVat: false, rate: 7, zones: ['OSSDE'] },
  {
    vatId: 'OSS-FI255',
    description: 'OSS Finland 25,5 %',
    type: 'Vat',
    reverseVat: false,
    rate: 25.5,
    zones: ['OSSFI'],
  },
  { vatId: 'OSS-FI14', description: 'OSS Finland 14 %', type: 'Vat', reverseVat: false, rate: 14, zones: ['OSSFI'] },
  { vatId: 'OSS-FI10', description: 'OSS Finland 10 %', type: 'Vat', reverseVat: false, rate: 10, zones: ['OSSFI'] },
  {
    vatId: 'US-SALESTAX',
    description: 'Sales tax USA (beräknas av Avalara)',
    type: 'Sales',
    reverseVat: false,
    rate: 0,
    zones: ['USMAN'],
  },
];

export const DEMO_VAT_CATEGORIES: SandboxVatCategory[] = [
  {
    vatCategoryId: 'STD',
    description: 'Varor och tjänster, normalskatt',
    active: true,
    vatIds: ['MP1', 'OSS-DK25', 'OSS-DE19', 'OSS-FI255', 'EUVF', 'EXPORT', 'US-SALESTAX'],
  },
  {
    vatCategoryId: 'FOOD',
    description: 'Livsmedel',
    active: true,
    vatIds: ['MP2', 'OSS-DK25', 'OSS-DE7', 'OSS-FI14', 'EUVF', 'EXPORT', 'US-SALESTAX'],
  },
  {
    vatCategoryId: 'BOOK',
    description: 'Böcker',
    active: true,
    vatIds: ['MP3', 'OSS-DK25', 'OSS-DE7', 'OSS-FI10', 'EUVF', 'EXPORT', 'US-SALESTAX'],
  },
  { vatCategoryId: 'RC', description: 'Omvänd skattskyldighet bygg', active: true, vatIds: ['RC-SE'] },
  // Not in the contract: an old, inactive category (a PUT that picks it is refused, as in Visma).
  { vatCategoryId: 'MOMS25-GML', description: 'Moms 25 % (gammal, används ej)', active: false, vatIds: ['MP1'] },
];

export const DEMO_VAT_ZONES: SandboxVatZone[] = [
  { id: '01', description: 'Sverige', defaultVatCategory: 'STD', manualVatEntry: false },
  { id: 'EU', description: 'EU-försäljning', defaultVatCategory: 'STD', manualVatEntry: false },
  { id: 'EXP', description: 'Export', defaultVatCategory: 'STD', manualVatEntry: false },
  { id: 'OSSDK', description: 'OSS Danmark', defaultVatCategory: 'STD', manualVatEntry: false },
  { id: 'OSSDE', description: 'OSS Tyskland', defaultVatCategory: 'STD', manualVatEntry: false },
  { id: 'OSSFI', description: 'OSS Finland', defaultVatCategory: 'STD', manualVatEntry: false },
  {
    id: 'USMAN',
    description: 'USA, sales tax (manuell momsregistrering)',
    defaultVatCategory: 'STD',
    manualVatEntry: true,
  },
];

/**
 * The demo company's VAT mapping: AvaTax's result (taxing country, ship-to country, rate, reverse charge) → the
 * Visma VAT zone, category and VAT id that book it. Domestic Swedish sales and a reverse charge in zone 01;
 * intra-EU B2B at 0 % in zone EU; B2C to DK, DE, FI under OSS in their own zones; exports in zone EXP; US sales
 * tax in the manual-entry zone USMAN (Visma cannot compute it, so the amounts sent are kept).
 */
export function demoVatMapping(): SettingsInput['vatMapping'] {
  const row = (
    country: string,
    taxCountry: string | undefined,
    rate: number | undefined,
    vatZoneId: string,
    vatCategoryId: string,
    vatId: string,
    reverseCharge = false,
  ) => ({ country, taxCountry, rate, vatZoneId, vatCategoryId, vatId, ...(reverseCharge ? { reverseCharge } : {}) });
  return [
    row('SE', 'SE', 0.25, '01', 'STD', 'MP1'),
    row('SE', 'SE', 0.12, '01', 'FOOD', 'MP2'),
    row('SE', 'SE', 0.06, '01', 'BOOK', 'MP3'),
    row('SE', 'SE', 0.25, '01', 'RC', 'RC-SE', true),
    row('DK', 'SE', 0, 'EU', 'STD', 'EUVF'),
    row('DE', 'SE', 0, 'EU', 'STD', 'EUVF'),
    row('FI', 'SE', 0, 'EU', 'STD', 'EUVF'),
    row('DK', 'DK', 0.25, 'OSSDK', 'STD', 'OSS-DK25'),
    row('DE', 'DE', 0.19, 'OSSDE', 'STD', 'OSS-DE19'),
    row('DE', 'DE', 0.07, 'OSSDE', 'FOOD', 'OSS-DE7'),
    row('FI', 'FI', 0.255, 'OSSFI', 'STD', 'OSS-FI255'),
    row('FI', 'FI', 0.14, 'OSSFI', 'FOOD', 'OSS-FI14'),
    row('FI', 'FI', 0.1, 'OSSFI', 'BOOK', 'OSS-FI10'),
    row('NO', 'SE', 0, 'EXP', 'STD', 'EXPORT'),
    row('US', undefined, undefined, 'USMAN', 'STD', 'US-SALESTAX'),
  ];
}
