/**
 * What `npm start` sells on the sandbox when no price policy is configured: the products of the
 * demo page at `/`, besides any open amount. A real gateway never gets these.
 */
export const SANDBOX_DEMO_PRODUCTS = {
  tea: { name: 'Green tea · 绿茶', price: '9.90' },
  notebook: { name: 'Notebook · 笔记本', price: '39.00' },
} as const;
