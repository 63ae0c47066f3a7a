// A minimal OpenID Connect provider for tests, on loopback: discovery, JWKS, an authorization endpoint that signs in
// whoever the test says (no login form), and a token endpoint that checks the code, the client and PKCE and returns
// an RS256 ID token. Just enough to drive a real authorization code flow end to end.
import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";

export interface TestProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Who the next authorization signs in. */
  user: { sub: string; email: string; emailVerified: boolean };
  stop(): Promise<void>;
}

export async function startProvider(): Promise<TestProvider> {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "test-key", alg: "RS256", use: "sig" };
  const codes = new Map<string, { clientId: string; redirectUri: string; challenge: string; nonce: string; user: TestProvider["user"] }>();
  const clientId = "techspec-test";
  const clientSecret = randomBytes(16).toString("hex");
  let issuer = "";
  const provider: TestProvider = {
    get issuer() {
      return issuer;
    },
    clientId, clientSecret,
    user: { sub: "user-1", email: "ann@example.com", emailVerified: true },
    stop: () => new Promise((done) => server.close(() => done())),
  };
  const json = (res: import("node:http").ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    if (url.pathname === "/.well-known/openid-configuration") {
      return json(res, 200, {
        issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`,
        response_types_supported: ["code"], subject_types_supported: ["public"], id_token_signing_alg_values_supported: ["RS256"],
        code_challenge_methods_supported: ["S256"], token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      });
    }
    if (url.pathname === "/jwks") return json(res, 200, { keys: [jwk] });
    if (url.pathname === "/authorize") {
      const q = url.searchParams;
      if (q.get("client_id") !== clientId || q.get("response_type") !== "code" || q.get("code_challenge_method") !== "S256") return json(res, 400, { error: "invalid_request" });
      const code = randomBytes(16).toString("hex");
      codes.set(code, { clientId, redirectUri: q.get("redirect_uri") ?? "", challenge: q.get("code_challenge") ?? "", nonce: q.get("nonce") ?? "", user: { ...provider.user } });
      const back = new URL(q.get("redirect_uri") ?? "");
      back.searchParams.set("code", code);
      back.searchParams.set("state", q.get("state") ?? "");
      res.writeHead(302, { location: back.href });
      return res.end();
    }
    if (url.pathname === "/token" && req.method === "POST") {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c.toString();
      });
      req.on("end", () => {
        void (async () => {
          const form = new URLSearchParams(body);
          const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? "")?.[1];
          const [id, secret] = basic ? Buffer.from(basic, "base64").toString().split(":").map(decodeURIComponent) : [form.get("client_id"), form.get("client_secret")];
          const grant = codes.get(form.get("code") ?? "");
          codes.delete(form.get("code") ?? "");
          if (id !== clientId || secret !== clientSecret) return json(res, 401, { error: "invalid_client" });
          const verifier = form.get("code_verifier") ?? "";
          if (!grant || grant.redirectUri !== form.get("redirect_uri") || createHash("sha256").update(verifier).digest("base64url") !== grant.challenge) return json(res, 400, { error: "invalid_grant" });
          const idToken = await new SignJWT({ email: grant.user.email, email_verified: grant.user.emailVerified, nonce: grant.nonce })
            .setProtectedHeader({ alg: "RS256", kid: "test-key" }).setIssuer(issuer).setAudience(clientId).setSubject(grant.user.sub)
            .setIssuedAt().setExpirationTime("5m").sign(privateKey as CryptoKey);
          return json(res, 200, { access_token: randomBytes(16).toString("hex"), token_type: "Bearer", expires_in: 300, id_token: idToken });
        })();
      });
      return;
    }
    json(res, 404, { error: "not_found" });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", () => done()));
  const address = server.address();
  issuer = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return provider;
}
