import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { i18n } from '../../renderer/src/i18n/index.js';
import { BuyerVatNumber } from '../../renderer/src/screens/DocumentDetail.js';

/** The detail panel says which buyer VAT number the document was taxed with, or that there was none. */
function render(vatNumber: string | undefined, lng = 'en'): string {
  void i18n.changeLanguage(lng);
  return renderToStaticMarkup(
    createElement(I18nextProvider, { i18n }, createElement(BuyerVatNumber, { document: { vatNumber } })),
  );
}

describe('the buyer VAT number in the detail panel', () => {
  it('shows the number used', () => {
    const html = render('DE123456789');
    expect(html).toContain('<dt>Buyer VAT number</dt>');
    expect(html).toContain('<code>DE123456789</code>');
  });

  it('says when there was none (B2C), in the user’s language', () => {
    expect(render(undefined)).toContain('None: taxed as a sale to a consumer (B2C)');
    expect(render(undefined, 'sv')).toContain('Köparens momsregistreringsnummer');
    void i18n.changeLanguage('en');
  });
});
