import { describe, expect, it } from 'vitest';
import { exportFormat } from '../../renderer/src/export-format.js';

describe('an export’s separator and language, decided when it is made', () => {
  it('"Automatic" follows the language the screens speak now, saved or not', () => {
    expect(exportFormat('auto', 'sv-SE')).toEqual({ delimiter: ';', locale: 'sv-SE' });
    expect(exportFormat('auto', 'da-DK')).toEqual({ delimiter: ';', locale: 'da-DK' });
    expect(exportFormat('auto', 'de-DE')).toEqual({ delimiter: ';', locale: 'de-DE' });
    expect(exportFormat('auto', 'en').delimiter).toBe(',');
  });
  it('a separator the user chose is kept whatever the language', () => {
    expect(exportFormat(',', 'sv-SE')).toEqual({ delimiter: ',', locale: 'sv-SE' });
    expect(exportFormat(';', 'en').delimiter).toBe(';');
  });
});
