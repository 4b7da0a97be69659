import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Component tests: the screens' pieces rendered in jsdom with the French catalogue, driven as a user
// would (Testing Library). The whole app in a real browser is test/browser's.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.tsx'],
    setupFiles: ['test/setup.ts'],
  },
});
