// The review server's script: sign-in and sign-out, index filters, comments, decisions, and the editor with live
// lint. Every call goes to this server's own API; writes carry the session's CSRF token.

(() => {
  let csrfToken: string | null = null;

  async function csrf(): Promise<string> {
    if (csrfToken !== null) return csrfToken;
    const r = await fetch("/api/session", { credentials: "same-origin" });
    if (!r.ok) throw new Error("sign in first");
    csrfToken = ((await r.json()) as { csrf: string | null }).csrf ?? "";
    return csrfToken;
  }

  /** Calls the API; a problem+json answer becomes an Error with its detail (and its fields in `problem`). */
  async function api(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; data: unknown; etag: string | null }> {
    const h: Record<string, string> = { ...headers };
    if (method !== "GET") h["x-csrf-token"] = await csrf();
    let payload: string | undefined;
    if (typeof body === "string") payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      h["content-type"] = "application/json";
    }
    const r = await fetch(url, { method, headers: h, body: payload ?? null, credentials: "same-origin" });
    const type = r.headers.get("content-type") ?? "";
    const data: unknown = r.status === 204 ? null : type.includes("json") ? await r.json() : await r.text();
    if (!r.ok) {
      const err = new Error((data as { detail?: string } | null)?.detail ?? `${r.status}`) as Error & { status: number; problem: unknown };
      err.status = r.status;
      err.problem = data;
      throw err;
    }
    return { status: r.status, data, etag: r.headers.get("etag") };
  }

  const say = (form: Element | null, text: string, bad = false): void => {
    const m = form?.querySelector(".message");
    if (!m) return;
    m.textContent = text;
    m.classList.toggle("bad", bad);
  };

  document.getElementById("sign-out")?.addEventListener("click", () => {
    api("DELETE", "/api/session").then(() => location.assign("/login"), (e: Error) => alert(e.message));
  });

  const login = document.getElementById("login") as HTMLFormElement | null;
  login?.addEventListener("submit", (e) => {
    e.preventDefault();
    const f = new FormData(login);
    fetch("/api/session", { method: "POST", headers: { "content-type": "application/json" }, credentials: "same-origin", body: JSON.stringify({ email: f.get("email"), password: f.get("password") }) })
      .then(async (r) => {
        // The answer is read whole before leaving the page, so the request is never cut short.
        const data = (await r.json()) as { detail?: string };
        if (r.ok) location.assign(login.dataset["next"] ?? "/");
        else say(login, data.detail ?? `${r.status}`, true);
      }, () => say(login, "the server cannot be reached", true));
  });

  const filters = document.getElementById("filters") as HTMLFormElement | null;
  filters?.addEventListener("change", () => {
    const f = new FormData(filters);
    const status = String(f.get("status") ?? "");
    const author = String(f.get("author") ?? "");
    const approval = String(f.get("approval") ?? "");
    const root = String(f.get("root") ?? "");
    const mine = f.get("mine") !== null;
    document.querySelectorAll<HTMLTableRowElement>("#specs tbody tr").forEach((tr) => {
      const authors = JSON.parse(tr.dataset["authors"] ?? "[]") as string[];
      tr.hidden = (status !== "" && tr.dataset["status"] !== status) || (mine && tr.dataset["mine"] !== "yes")
        || (author !== "" && !authors.includes(author)) || (approval !== "" && tr.dataset["approval"] !== approval)
        || (root !== "" && tr.dataset["root"] !== root);
    });
  });

  const review = document.getElementById("review");
  if (review) setUpReview(review);
  const editor = document.getElementById("editor") as HTMLFormElement | null;
  if (editor) setUpEditor(editor);

  function setUpReview(section: HTMLElement): void {
    const spec = section.dataset["spec"] ?? "";
    const lines = [...document.querySelectorAll<HTMLElement>("#source .line")].map((l) => l.textContent ?? "");
    const form = document.getElementById("new-comment") as HTMLFormElement | null;
    let anchorLine = 0;
    document.querySelectorAll<HTMLElement>("#source .line").forEach((el, i) => {
      el.addEventListener("click", (e) => {
        if (!form) return;
        const n = i + 1;
        const start = form.elements.namedItem("start") as HTMLInputElement;
        const end = form.elements.namedItem("end") as HTMLInputElement;
        if ((e as MouseEvent).shiftKey && anchorLine > 0) {
          start.value = String(Math.min(anchorLine, n));
          end.value = String(Math.max(anchorLine, n));
        } else {
          anchorLine = n;
          start.value = end.value = String(n);
        }
        form.scrollIntoView({ block: "nearest" });
      });
    });
    form?.addEventListener("submit", (e) => {
      e.preventDefault();
      const f = new FormData(form);
      const startLine = Number(f.get("start"));
      const endLine = Number(f.get("end"));
      const quote = lines.slice(startLine - 1, endLine).join("\n");
      let heading = "";
      for (let i = startLine - 1; i >= 0; i--) {
        const m = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(lines[i] ?? "");
        if (m) {
          heading = m[1] ?? "";
          break;
        }
      }
      api("POST", `/api/specs/${encodeURIComponent(spec)}/comments`, { body: f.get("body"), anchor: { heading, startLine, endLine, quote } })
        .then(() => location.reload(), (err: Error) => say(form, err.message, true));
    });
    section.querySelectorAll<HTMLElement>(".thread").forEach((thread) => {
      const id = Number(thread.dataset["comment"]);
      const reply = thread.querySelector<HTMLFormElement>("form.reply");
      reply?.addEventListener("submit", (e) => {
        e.preventDefault();
        api("POST", `/api/specs/${encodeURIComponent(spec)}/comments`, { body: new FormData(reply).get("body"), parentId: id }).then(() => location.reload(), (err: Error) => alert(err.message));
      });
      const toggle = thread.querySelector<HTMLButtonElement>(".toggle-resolved");
      toggle?.addEventListener("click", () => {
        api("POST", `/api/comments/${id}/${toggle.dataset["resolved"] === "yes" ? "reopen" : "resolve"}`).then(() => location.reload(), (err: Error) => alert(err.message));
      });
    });
    const decide = document.getElementById("decide") as HTMLFormElement | null;
    decide?.addEventListener("submit", (e) => {
      e.preventDefault();
      const f = new FormData(decide);
      const decision = ((e as SubmitEvent).submitter as HTMLButtonElement | null)?.value ?? "Approved";
      const reason = String(f.get("reason") ?? "").trim();
      api("POST", `/api/specs/${encodeURIComponent(spec)}/approvals`, { role: f.get("role"), decision, ...(decision === "Rejected" ? { reason } : {}) })
        .then(() => location.reload(), (err: Error) => say(decide, err.message, true));
    });
  }

  function setUpEditor(form: HTMLFormElement): void {
    const spec = form.dataset["spec"] ?? "";
    let revision = form.dataset["revision"] ?? "";
    const text = form.elements.namedItem("text") as HTMLTextAreaElement;
    const list = document.getElementById("live-lint") as HTMLOListElement;
    const state = form.querySelector(".lint-state") as HTMLElement;
    let timer = 0;
    let asked = 0;
    const lint = (): void => {
      const mine = ++asked;
      state.textContent = "Checking…";
      api("POST", "/api/lint", text.value, { "content-type": "text/markdown" }).then(({ data }) => {
        if (mine !== asked) return;
        const ds = (data as { diagnostics: { line: number; column: number; severity: string; message: string; rule: string }[] }).diagnostics;
        list.replaceChildren(...ds.map((d) => {
          const li = document.createElement("li");
          li.className = d.severity;
          li.textContent = `${d.line}:${d.column} ${d.severity} ${d.message} (${d.rule})`;
          return li;
        }));
        const errors = ds.filter((d) => d.severity === "error").length;
        state.textContent = ds.length === 0 ? "No problems." : `${errors} error${errors === 1 ? "" : "s"}, ${ds.length - errors} warning${ds.length - errors === 1 ? "" : "s"}`;
        document.body.dataset["lint"] = String(ds.length);
      }, (err: Error) => {
        state.textContent = `Lint failed: ${err.message}`;
      });
    };
    text.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(lint, 300);
    });
    lint();
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      api("PUT", `/api/specs/${encodeURIComponent(spec)}/source`, text.value, { "content-type": "text/markdown", "if-match": `"${revision}"` }).then(({ data }) => {
        revision = (data as { revision: string }).revision;
        say(form, "Saved.");
      }, (err: Error & { status?: number; problem?: { revision?: string; text?: string } }) => {
        if (err.status !== 409) return say(form, err.message, true);
        say(form, "Someone changed this spec since you began; your text is kept here. ", true);
        const load = document.createElement("button");
        load.type = "button";
        load.textContent = "Load their version";
        load.addEventListener("click", () => {
          text.value = err.problem?.text ?? text.value;
          revision = err.problem?.revision ?? revision;
          say(form, "Loaded the current version.");
          lint();
        });
        form.querySelector(".message")?.append(load);
      });
    });
  }
})();
