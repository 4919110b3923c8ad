import { defineConfig } from "vitest/config";

// Served by the aiohttp app at /terminal/; `vite dev` proxies the API to a local backend.
// Built into the Python package's data folder (app/site/assets.py), so an installed wheel serves it.
export default defineConfig({
  base: "/terminal/",
  build: { outDir: "../app/site/static/terminal", emptyOutDir: true, sourcemap: true },
  server: {
    proxy: {
      "/api": { target: process.env.BACKEND_URL ?? "http://127.0.0.1:8000", ws: true, changeOrigin: true },
    },
  },
  test: { environment: "node", include: ["test/**/*.test.ts"] },
});
