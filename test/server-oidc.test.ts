// Single sign-on through an OpenID Connect provider: a real authorization code flow (PKCE, state, nonce, an RS256
// ID token) against a test provider on loopback. The provider's verified e-mail address signs in the account
// that has it; an unknown or unverified address, a replayed or forged callback, is refused.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { buildServer, type Server } from "../src/server/app.js";
import { OidcClient } from "../src/server/oidc.js";
import { openSqlite } from "../src/store/sqlite.js";
import type { Store } from "../src/store/store.js";
import { defaultConfig } from "../src/workspace/config.js";
import { startProvider, type TestProvider } from "../test-support/oidc-provider.js";

describe("OIDC sign-in", () => {
  let provider: TestProvider;
  let store: Store;
  let server: Server;
  let dir: string;
  const PUBLIC = "http://127.0.0.1:4173";
  before(async () => {
    provider = await startProvider();
    dir = mkdtempSync(join(tmpdir(), "techspec-oidc-"));
    store = await openSqlite(":memory:");
    await store.addUser({ email: "ann@example.com", name: "Ann Example", passwordHash: null, now: "2026-03-02T10:00:00.000Z" });
    const oidc = await OidcClient.connect({ issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, redirectUri: `${PUBLIC}/auth/oidc/callback` });
    server = await buildServer({ config: defaultConfig(dir), store, now: () => new Date(), pollMs: 0, watch: false, oidc });
  });
  after(async () => {
    await server.close();
    await store.close();
    await provider.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Follows the flow: our /auth/oidc, the provider's authorize, back to our callback (which the test sends). */
  async function flow(next = "/specs/FEAT-0001"): Promise<{ status: number; location?: string; cookie?: string; body: string; oidcCookie: string; callback: string }> {
    const start = await server.app.inject({ url: `/auth/oidc?next=${encodeURIComponent(next)}` });
    assert.equal(start.statusCode, 302);
    const oidcCookie = String(start.headers["set-cookie"]).split(";")[0]!;
    const authorize = await fetch(String(start.headers.location), { redirect: "manual" });
    assert.equal(authorize.status, 302);
    const callback = new URL(authorize.headers.get("location")!);
    assert.equal(callback.origin, PUBLIC);
    const back = await server.app.inject({ url: callback.pathname + callback.search, headers: { cookie: oidcCookie } });
    const setCookie = [back.headers["set-cookie"]].flat().find((c) => String(c).startsWith("techspec_session="));
    return { status: back.statusCode, location: back.headers.location as string | undefined, cookie: setCookie?.split(";")[0], body: back.body, oidcCookie, callback: callback.pathname + callback.search };
  }

  test("the sign-in page offers single sign-on", async () => {
    const r = await server.app.inject({ url: "/login" });
    assert.match(r.body, /href="\/auth\/oidc\?next=%2F"/);
  });

  test("a verified address of an account signs in and comes back to the page asked for", async () => {
    provider.user = { sub: "u1", email: "Ann@Example.com", emailVerified: true };
    const r = await flow();
    assert.equal(r.status, 303, r.body);
    assert.equal(r.location, "/specs/FEAT-0001");
    const me = await server.app.inject({ url: "/api/session", headers: { cookie: r.cookie! } });
    assert.equal((me.json() as { user: { email: string } }).user.email, "ann@example.com");
    const audit = await store.audit({ limit: 5 });
    assert.ok(audit.some((e) => e.action === "sign-in" && /"via":"oidc"/.test(e.detail ?? "")));
  });

  test("a callback cannot be replayed, nor used without its cookie", async () => {
    provider.user = { sub: "u1", email: "ann@example.com", emailVerified: true };
    const r = await flow();
    assert.equal(r.status, 303);
    const again = await server.app.inject({ url: r.callback, headers: { cookie: r.oidcCookie } });
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /unknown or took too long/);
    const start = await server.app.inject({ url: "/auth/oidc" });
    const authorize = await fetch(String(start.headers.location), { redirect: "manual" });
    const callback = new URL(authorize.headers.get("location")!);
    const noCookie = await server.app.inject({ url: callback.pathname + callback.search });
    assert.equal(noCookie.statusCode, 400);
    // A forged state with the right cookie is refused by the state check.
    const start2 = await server.app.inject({ url: "/auth/oidc" });
    const cookie2 = String(start2.headers["set-cookie"]).split(";")[0]!;
    const authorize2 = await fetch(String(start2.headers.location), { redirect: "manual" });
    const forged = new URL(authorize2.headers.get("location")!);
    forged.searchParams.set("state", "forged");
    const bad = await server.app.inject({ url: forged.pathname + forged.search, headers: { cookie: cookie2 } });
    assert.equal(bad.statusCode, 400);
    assert.doesNotMatch(String(bad.headers["set-cookie"] ?? ""), /techspec_session=[^;]/);
  });

  test("an address without an account, or not verified, is refused", async () => {
    provider.user = { sub: "u2", email: "mallory@example.com", emailVerified: true };
    const unknown = await flow();
    assert.equal(unknown.status, 403);
    assert.match(unknown.body, /mallory@example.com has no account here/);
    assert.equal(unknown.cookie, undefined);
    provider.user = { sub: "u1", email: "ann@example.com", emailVerified: false };
    const unverified = await flow();
    assert.equal(unverified.status, 400);
    assert.match(unverified.body, /has not verified ann@example.com/);
    assert.equal(unverified.cookie, undefined);
  });

  test("next cannot send the browser to another site", async () => {
    provider.user = { sub: "u1", email: "ann@example.com", emailVerified: true };
    for (const next of ["//evil.example.com/", "https://evil.example.com/", "/\\evil.example.com"]) {
      const r = await flow(next);
      assert.equal(r.location, "/", next);
    }
  });

  test("an issuer over plain http elsewhere than this machine is refused", async () => {
    await assert.rejects(OidcClient.connect({ issuer: "http://idp.example.com", clientId: "x", clientSecret: "y", redirectUri: `${PUBLIC}/auth/oidc/callback` }), /must be an https:\/\/ URL/);
  });
});
