// Sign-in through an OpenID Connect provider (openid-client): authorization code flow with PKCE, state and nonce.
// The provider vouches for the e-mail address; the account must exist (techspec users add) — the provider
// proves who someone is, the workspace's accounts and roles say what they may do.
import { randomBytes } from "node:crypto";
import * as client from "openid-client";

export interface OidcSettings {
  /** The issuer's URL (its /.well-known/openid-configuration is read at start). */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Where the provider sends the browser back: <public URL>/auth/oidc/callback. */
  readonly redirectUri: string;
}

/** A sign-in that went to the provider and has not come back yet. */
interface Pending {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly next: string;
  readonly expires: number;
}

/** How long a sign-in may take at the provider. */
const PENDING_MS = 10 * 60_000;
/** At most this many sign-ins in flight (the oldest are forgotten first). */
const MAX_PENDING = 10_000;

export const OIDC_COOKIE = "techspec_oidc";

export class OidcClient {
  private readonly pending = new Map<string, Pending>();

  private constructor(private readonly config: client.Configuration, readonly settings: OidcSettings) {}

  /** Reads the provider's metadata; plain http is accepted for a provider on this machine only (tests, local setups). */
  static async connect(settings: OidcSettings): Promise<OidcClient> {
    const url = new URL(settings.issuer);
    const local = url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
    if (url.protocol !== "https:" && !local) throw new Error(`the OIDC issuer must be an https:// URL (got ${settings.issuer})`);
    const config = await client.discovery(url, settings.clientId, settings.clientSecret, undefined, {
      ...(local ? { execute: [client.allowInsecureRequests] } : {}), timeout: 10,
    });
    return new OidcClient(config, settings);
  }

  /** Starts a sign-in: the provider's URL to send the browser to, and the key of the cookie that remembers it. */
  async begin(next: string, now: number): Promise<{ url: string; key: string }> {
    for (const [k, p] of this.pending) if (p.expires < now || this.pending.size >= MAX_PENDING) this.pending.delete(k);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const key = randomBytes(24).toString("base64url");
    this.pending.set(key, { state, nonce, verifier, next, expires: now + PENDING_MS });
    const url = client.buildAuthorizationUrl(this.config, {
      redirect_uri: this.settings.redirectUri, scope: "openid email profile", state, nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256",
    });
    return { url: url.href, key };
  }

  /**
   * Finishes a sign-in from the callback URL: the verified e-mail address and where to go next, or why not
   * (an unknown or expired sign-in, a provider error, an address the provider does not vouch for).
   */
  async finish(key: string | undefined, callbackUrl: URL, now: number): Promise<{ ok: true; email: string; next: string } | { ok: false; reason: string }> {
    const p = key ? this.pending.get(key) : undefined;
    if (!p || p.expires < now) return { ok: false, reason: "this sign-in is unknown or took too long; start again" };
    this.pending.delete(key!);
    let claims: client.IDToken | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(this.config, callbackUrl, { pkceCodeVerifier: p.verifier, expectedState: p.state, expectedNonce: p.nonce, idTokenExpected: true });
      claims = tokens.claims();
    } catch (err) {
      return { ok: false, reason: `the identity provider's answer was refused (${(err as Error).message.split("\n")[0]})` };
    }
    const email = typeof claims?.["email"] === "string" ? claims["email"].trim().toLowerCase() : "";
    if (!email) return { ok: false, reason: "the identity provider gave no e-mail address (ask for the email scope)" };
    if (claims?.["email_verified"] !== true) return { ok: false, reason: `the identity provider has not verified ${email}` };
    return { ok: true, email, next: p.next };
  }
}
