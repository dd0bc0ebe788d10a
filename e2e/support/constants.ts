// E2E_PORT lets a second suite run beside another on the same machine.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_BASE_URL = `http://localhost:${E2E_PORT}`;
/** The bootstrap API key the test server is started with (GATEHOUSE_BOOTSTRAP_API_KEY). */
export const E2E_API_KEY = "gh_sk_e2e_bootstrap_key_for_tests_only_0001";
/** The operator administrator the test server bootstraps (GATEHOUSE_ADMIN_EMAIL / _PASSWORD). */
export const E2E_ADMIN = { email: "admin@gatehouse.local", password: "gatehouse-admin" };
