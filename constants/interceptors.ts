// The interceptors' vocabulary: plain values, safe to import from the browser, lib/ and db/ alike.

/** What a sign-in does when its interceptor fails or times out. */
export const interceptorFallbacks = ["fail_open", "fail_closed"] as const;
export type InterceptorFallback = (typeof interceptorFallbacks)[number];
