// The portal's only script: diagram rendering on spec pages, and search and filters on the index.
// Every page works without it (the table lists every spec, diagrams show their Mermaid source).

interface Mermaid {
  initialize(config: Record<string, unknown>): void;
  run(options: { querySelector: string; suppressErrors?: boolean }): Promise<void>;
}

interface SearchResult {
  id: string;
  score: number;
}

interface MiniSearchIndex {
  search(query: string, options: Record<string, unknown>): SearchResult[];
}

interface MiniSearchStatic {
  loadJS(js: unknown, options: { fields: string[]; idField: string }): MiniSearchIndex;
}

interface Window {
  mermaid?: Mermaid;
  MiniSearch?: MiniSearchStatic;
  techspecSearch?: { fields: string[]; index: unknown };
}

(() => {
  renderDiagrams();
  openSourceOnLineLinks();
  if (document.getElementById("specs")) setUpIndex();

  function renderDiagrams(): void {
    const blocks = document.querySelectorAll("pre.mermaid");
    if (blocks.length === 0) return;
    const mermaid = window.mermaid;
    if (!mermaid) {
      document.body.dataset["diagrams"] = "unavailable";
      return;
    }
    const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
    // Labels as SVG text, never HTML: a label is data from the spec, not markup.
    mermaid.initialize({ startOnLoad: false, securityLevel: "strict", htmlLabels: false, flowchart: { htmlLabels: false }, theme: dark ? "dark" : "default" });
    mermaid.run({ querySelector: "pre.mermaid", suppressErrors: true }).then(
      () => {
        document.body.dataset["diagrams"] = "done";
      },
      (err: unknown) => {
        document.body.dataset["diagrams"] = "failed";
        console.error("techspec: a diagram could not be rendered", err);
      },
    );
  }

  /** Diagnostics link to #L<line> inside the collapsed source view: open it and bring the line into view. */
  function openSourceOnLineLinks(): void {
    const source = document.getElementById("source") as HTMLDetailsElement | null;
    if (!source) return;
    const show = (): void => {
      const m = /^#L(\d+)$/.exec(location.hash);
      if (!m) return;
      source.open = true;
      const line = document.getElementById(`L${m[1]}`);
      line?.scrollIntoView({ block: "center" });
      document.querySelectorAll(".line.target").forEach((el) => el.classList.remove("target"));
      line?.classList.add("target");
    };
    window.addEventListener("hashchange", show);
    show();
  }

  function setUpIndex(): void {
    // One row group, or in a workspace with spec roots one per root (tbody[data-root], with its heading row).
    const table = document.getElementById("specs")!;
    const rows = Array.from(table.querySelectorAll<HTMLTableRowElement>("tbody tr[data-slug]"));
    const groups = Array.from(table.querySelectorAll<HTMLTableSectionElement>("tbody[data-root]"));
    const root = document.getElementById("root") as HTMLSelectElement | null;
    const q = document.getElementById("q") as HTMLInputElement;
    const status = document.getElementById("status") as HTMLSelectElement;
    const author = document.getElementById("author") as HTMLSelectElement;
    const approval = document.getElementById("approval") as HTMLSelectElement;
    const count = document.getElementById("count")!;
    const empty = document.getElementById("no-results")!;
    const form = document.getElementById("filters") as HTMLFormElement;
    const headerSearch = document.querySelector<HTMLInputElement>("header .search input");
    let index: MiniSearchIndex | null = null;
    const data = window.techspecSearch;
    if (data && window.MiniSearch) index = window.MiniSearch.loadJS(data.index, { fields: data.fields, idField: "slug" });
    else q.placeholder = "Search is unavailable";

    const params = new URLSearchParams(location.search);
    q.value = params.get("q") ?? "";
    if (headerSearch) headerSearch.value = q.value;
    selectValue(status, params.get("status"));
    selectValue(author, params.get("author"));
    selectValue(approval, params.get("approval"));
    if (root) selectValue(root, params.get("root"));

    let timer = 0;
    const apply = (): void => {
      const query = q.value.trim();
      let ranks: Map<string, number> | null = null;
      let approximate = false;
      if (query && index) {
        // Every word must match, as a word or the start of one; only when nothing does, allow typos.
        const options = { prefix: true, combineWith: "AND", boost: { title: 4, id: 4, author: 2 } };
        let hits = index.search(query, options);
        if (hits.length === 0) {
          hits = index.search(query, { ...options, fuzzy: (term: string) => (term.length > 3 ? 0.25 : 0) });
          approximate = hits.length > 0;
        }
        ranks = new Map(hits.map((h, i) => [h.id, i]));
      }
      let shown = 0;
      for (const row of rows) {
        const visible = (!status.value || row.dataset["status"] === status.value)
          && (!author.value || (row.dataset["authors"] ?? "").split("|").includes(author.value))
          && (!approval.value || row.dataset["approval"] === approval.value)
          && (!root?.value || row.dataset["root"] === root.value)
          && (!ranks || ranks.has(row.dataset["slug"] ?? ""));
        row.hidden = !visible;
        if (visible) shown++;
      }
      const order = ranks ? [...rows].sort((a, b) => (ranks!.get(a.dataset["slug"]!) ?? 1e9) - (ranks!.get(b.dataset["slug"]!) ?? 1e9)) : rows;
      for (const row of order) row.parentElement!.append(row);
      for (const group of groups) group.hidden = !group.querySelector("tr[data-slug]:not([hidden])");
      count.textContent = `${shown} of ${rows.length} specs${query ? ` ${approximate ? "approximately " : ""}matching “${query}”` : ""}`;
      empty.hidden = shown > 0;
      const next = new URLSearchParams();
      if (query) next.set("q", query);
      if (status.value) next.set("status", status.value);
      if (author.value) next.set("author", author.value);
      if (approval.value) next.set("approval", approval.value);
      if (root?.value) next.set("root", root.value);
      const search = next.toString();
      history.replaceState(null, "", search ? `?${search}` : location.pathname);
    };
    const later = (): void => {
      window.clearTimeout(timer);
      timer = window.setTimeout(apply, 120);
    };
    // The header's box and the filter form's box are one query: typing in either filters the table and shows in
    // both, as typed (a trailing space stays while the next word is on its way).
    q.addEventListener("input", () => {
      if (headerSearch) headerSearch.value = q.value;
      later();
    });
    headerSearch?.addEventListener("input", () => {
      q.value = headerSearch.value;
      later();
    });
    for (const select of [status, author, approval, root]) select?.addEventListener("change", apply);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      apply();
    });
    form.addEventListener("reset", () => window.setTimeout(() => {
      if (headerSearch) headerSearch.value = q.value;
      apply();
    }, 0));
    document.querySelectorAll<HTMLButtonElement>("button.filter-status").forEach((b) => b.addEventListener("click", () => {
      selectValue(status, b.dataset["status"] ?? "");
      apply();
      document.getElementById("filters")?.scrollIntoView({ behavior: "smooth", block: "start" });
    }));
    // On the index, Enter in the header's box searches in place at once (elsewhere it opens the index with ?q=).
    headerSearch?.form?.addEventListener("submit", (e) => {
      e.preventDefault();
      q.value = headerSearch.value;
      window.clearTimeout(timer);
      apply();
    });
    apply();
    document.body.dataset["ready"] = "true";
  }

  function selectValue(select: HTMLSelectElement, value: string | null): void {
    if (value === null) return;
    if (Array.from(select.options).some((o) => o.value === value)) select.value = value;
  }
})();
