/** The country tables live in shared/countries.ts (Settings and the renderer read them too): one definition. */
export {
  EU_COUNTRIES,
  ISO_COUNTRIES,
  normaliseVatNumber,
  POSTAL_FORMATS,
  VAT_FORMATS,
} from '../../shared/countries.js';
