/** A tiny route table for the local Stripe's /v1 API; a route says whether Stripe.js (publishable key) may call it. */
import type { ApiRequest } from "./store";

export type Handler = (m: string[], req: ApiRequest) => unknown;

export interface Route {
  method: string;
  re: RegExp;
  handler: Handler;
  /** Stripe.js calls it with the publishable key (intents only with their client_secret). */
  publishable: boolean;
}

export class Router {
  readonly routes: Route[] = [];

  add(method: string, path: string, handler: Handler, options: { publishable?: boolean } = {}): void {
    this.routes.push({ method, re: new RegExp(`^${path.replace(/:\w+/g, "([^/]+)")}$`), handler, publishable: !!options.publishable });
  }

  find(method: string, path: string): { route: Route; args: string[] } | null {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.re.exec(path);
      if (m) return { route, args: m.slice(1).map((s) => decodeURIComponent(s)) };
    }
    return null;
  }

  /** Whether the path exists under another method (Stripe answers 404 "Unrecognized request URL" either way). */
  knows(path: string): boolean {
    return this.routes.some((r) => r.re.test(path));
  }
}
