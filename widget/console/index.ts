/** The merchant's console, served by the signer at /admin/ (its own bundle: dist/console/). */
import './app.ts';
