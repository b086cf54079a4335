// The demo page's wiring (no inline script: the page runs under a strict Content-Security-Policy).

const amount = document.getElementById('amount');
const donation = document.getElementById('donation');
const log = document.getElementById('log');
const settings = document.getElementById('settings');

// The donation box: the input's value is the checkout's price, once it is a valid amount.
amount.addEventListener('input', () => {
  if (/^\d{1,5}(\.\d{1,2})?$/.test(amount.value) && Number(amount.value) >= 0.01) donation.price = amount.value;
});

settings.addEventListener('change', () => {
  document.documentElement.lang = settings.elements.lang.value;
  for (const checkout of document.querySelectorAll('codepay-checkout')) {
    if (settings.elements.theme.value) checkout.setAttribute('theme', settings.elements.theme.value);
    else checkout.removeAttribute('theme');
    checkout.requestUpdate(); // the language comes from <html lang>, which the element does not watch
  }
});

for (const type of ['codepay-order', 'codepay-paid', 'codepay-expired', 'codepay-error']) {
  document.addEventListener(type, (event) => {
    const { id, code, status } = event.detail;
    log.textContent = `${new Date().toLocaleTimeString()} ${type} ${id ?? code} ${status ?? ''}\n${log.textContent}`;
  });
}
