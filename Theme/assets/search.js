// Hindsight search: plain modern JavaScript, no framework, no build step.
// Reads the split index written by SearchIndexBuilder.swift: a query fetches the manifest, the
// facet table, the shards of its terms and the fragments of the results on screen — never the
// whole index. The tokenizer mirrors SearchTokenizer.swift exactly.

const FACETS = ["severity", "type", "service", "year", "near_miss"];
const FIELD_ALIASES = {
  severity: "severity", sev: "severity", type: "type", factor: "type", service: "service",
  services: "service", year: "year", is: "is", near_miss: "near_miss", "near-miss": "near_miss",
};
const PAGE_SIZE = 10;
const PHRASE_SCAN_LIMIT = 300;

/** Folds one piece of text: canonical decomposition, combining marks removed, lowercase. */
export function fold(text) {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** The tokens of `text`: runs of Unicode letters and digits, two or more characters, folded. */
export function tokenize(text) {
  const out = [];
  const decomposed = text.normalize("NFD").replace(/\p{M}/gu, "");
  for (const match of decomposed.matchAll(/[\p{L}\p{N}]+/gu)) {
    if ([...match[0]].length >= 2) out.push(match[0].toLowerCase());
  }
  return out;
}

/** Splits the box's text into words, a last word still being typed, phrases and field filters. */
export function parseQuery(text) {
  const query = { words: [], prefix: null, phrases: [], filters: {} };
  const pattern = /(\S+?):"([^"]*)"?|"([^"]*)("?)|(\S+)/g;
  let lastEnd = 0;
  let last = null;
  for (const match of text.matchAll(pattern)) {
    lastEnd = match.index + match[0].length;
    last = null;
    if (match[1] !== undefined) {
      addFilter(query, match[1], match[2]);
    } else if (match[3] !== undefined) {
      const tokens = tokenize(match[3]);
      if (tokens.length > 1) query.phrases.push(tokens);
      query.words.push(...tokens);
    } else {
      const word = match[5];
      const colon = word.indexOf(":");
      if (colon > 0 && colon < word.length - 1 && FIELD_ALIASES[word.slice(0, colon).toLowerCase()]) {
        addFilter(query, word.slice(0, colon), word.slice(colon + 1));
      } else {
        const tokens = tokenize(word);
        query.words.push(...tokens);
        if (tokens.length) last = tokens[tokens.length - 1];
      }
    }
  }
  // The last word matches as a prefix while it is being typed (no space after it yet).
  if (last && lastEnd === text.length && [...last].length >= 2) {
    query.words.pop();
    query.prefix = last;
  }
  return query;
}

function addFilter(query, field, value) {
  let key = FIELD_ALIASES[field.toLowerCase()];
  if (!key || !value) return;
  if (key === "is") {
    if (slug(value) !== "near-miss") return;
    key = "near_miss";
    value = "yes";
  }
  (query.filters[key] ||= []).push(value);
}

function slug(text) {
  return fold(text).replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "");
}

/** Fetches and caches the index files; `.gz` files are inflated in the browser. */
class IndexFiles {
  constructor(base) {
    this.base = base;
    this.cache = new Map();
  }

  get(path) {
    if (!this.cache.has(path)) {
      const load = fetch(this.base + path).then(async (response) => {
        if (!response.ok) throw new Error(`${path}: ${response.status}`);
        if (!path.endsWith(".gz")) return response.json();
        const stream = response.body.pipeThrough(new DecompressionStream("gzip"));
        return new Response(stream).json();
      });
      load.catch(() => this.cache.delete(path));
      this.cache.set(path, load);
    }
    return this.cache.get(path);
  }

  manifest() { return this.get("manifest.json"); }

  async facets() { return this.get((await this.manifest()).facets); }

  async shard(key) {
    const manifest = await this.manifest();
    const hash = manifest.shards[key];
    if (!hash) return { terms: {} };
    const hex = Array.from(new TextEncoder().encode(key), (b) => b.toString(16).padStart(2, "0")).join("");
    return this.get(`t/${hex}-${hash}.json.gz`);
  }

  async fragment(doc) {
    const [manifest, facets] = await Promise.all([this.manifest(), this.facets()]);
    const bucket = Math.floor(doc / manifest.bucket_size);
    return this.get(`f/${bucket}-${facets.buckets[bucket]}/${doc % manifest.bucket_size}.json.gz`);
  }
}

/** The shard holding `term`: its first three characters where that shard exists (a large
 *  two-character shard is split), else its first two. */
function shardKey(term, shards) {
  const chars = [...term];
  const three = chars.slice(0, 3).join("");
  return chars.length >= 3 && shards[three] ? three : chars.slice(0, 2).join("");
}

/** Every shard that can hold a word starting with `prefix`. */
function prefixShards(prefix, shards) {
  if ([...prefix].length >= 3) return [shardKey(prefix, shards)];
  return [prefix, ...Object.keys(shards).filter((key) => [...key].length === 3 && key.startsWith(prefix))];
}

/** Decodes a posting list: [docDelta, weight, …] → Map(doc → weight). */
function decode(list) {
  const map = new Map();
  let doc = 0;
  for (let i = 0; i < list.length; i += 2) {
    doc += list[i];
    map.set(doc, list[i + 1] / 10);
  }
  return map;
}

/** Runs a query against the index: ranked documents, facet counts, and what to highlight. */
export async function search(files, query, selected) {
  const [manifest, facets] = await Promise.all([files.manifest(), files.facets()]);
  const stop = new Set(manifest.stop_words);
  const words = [...new Set(query.words.filter((w) => !stop.has(w)))];
  const total = manifest.documents;
  const k1 = manifest.k1;
  const idf = (df) => Math.log(1 + (total - df + 0.5) / (df + 0.5));

  // Each required term gives a map of doc → score; the prefix term takes the best expansion.
  const termMaps = [];
  const highlight = new Set(words);
  const shards = await Promise.all(words.map((t) => files.shard(shardKey(t, manifest.shards))));
  const prefixTerms = query.prefix
    ? Object.assign({}, ...(await Promise.all(prefixShards(query.prefix, manifest.shards).map((key) => files.shard(key)))).map((shard) => shard.terms))
    : {};
  words.forEach((word, i) => {
    const list = shards[i].terms[word];
    const postings = list ? decode(list) : new Map();
    const weight = idf(postings.size);
    const scores = new Map();
    for (const [doc, tf] of postings) scores.set(doc, (weight * tf * (k1 + 1)) / (tf + k1));
    termMaps.push(scores);
  });
  if (query.prefix && !stop.has(query.prefix)) {
    const scores = new Map();
    for (const [term, list] of Object.entries(prefixTerms)) {
      if (!term.startsWith(query.prefix)) continue;
      highlight.add(term);
      const postings = decode(list);
      const weight = idf(postings.size);
      // A completed word ranks a little above a longer word it is the start of.
      const exact = term === query.prefix ? 1 : 0.9;
      for (const [doc, tf] of postings) {
        const score = (exact * weight * tf * (k1 + 1)) / (tf + k1);
        if (score > (scores.get(doc) || 0)) scores.set(doc, score);
      }
    }
    termMaps.push(scores);
  }

  // AND across terms; no terms at all means browse everything (newest first).
  let matches;
  if (termMaps.length === 0) {
    matches = new Map(Array.from({ length: total }, (_, doc) => [doc, 0]));
  } else {
    termMaps.sort((a, b) => a.size - b.size);
    matches = new Map();
    for (const [doc, score] of termMaps[0]) {
      let sum = score;
      let all = true;
      for (let i = 1; i < termMaps.length && all; i++) {
        const s = termMaps[i].get(doc);
        if (s === undefined) all = false; else sum += s;
      }
      if (all) matches.set(doc, sum);
    }
  }

  // Filters: the box's field syntax and the checked facets, each facet an OR of its values.
  const wanted = {};
  for (const facet of FACETS) {
    const values = [...(selected[facet] || []), ...(query.filters[facet] || [])];
    if (values.length) wanted[facet] = new Set(values.map(slug));
  }
  const valueSlugs = {};
  for (const facet of ["severity", "type", "service", "year"]) valueSlugs[facet] = facets.values[facet].map(slug);
  const docValues = (facet, doc) => {
    if (facet === "near_miss") return facets.docs.near_miss[doc] ? ["yes"] : ["no"];
    const raw = facets.docs[facet][doc];
    const list = Array.isArray(raw) ? raw : raw < 0 ? [] : [raw];
    return list.map((i) => valueSlugs[facet][i]);
  };
  const passes = (doc, except) => {
    for (const facet in wanted) {
      if (facet === except) continue;
      if (!docValues(facet, doc).some((v) => wanted[facet].has(v))) return false;
    }
    return true;
  };

  const counts = {};
  for (const facet of FACETS) {
    const tally = new Map();
    for (const doc of matches.keys()) {
      if (!passes(doc, facet)) continue;
      for (const v of docValues(facet, doc)) tally.set(v, (tally.get(v) || 0) + 1);
    }
    const names = facet === "near_miss" ? ["yes", "no"] : facets.values[facet];
    counts[facet] = names
      .map((name) => ({ name, value: facet === "near_miss" ? name : slug(name), count: tally.get(facet === "near_miss" ? name : slug(name)) || 0 }))
      .filter((entry) => entry.count > 0 || (wanted[facet] && wanted[facet].has(entry.value)));
  }

  // Best score first; ties (and browsing, where every score is 0) newest first: documents are numbered oldest first.
  const results = [...matches].filter(([doc]) => passes(doc, null)).sort((a, b) => b[1] - a[1] || b[0] - a[0]).map(([doc]) => doc);
  return { results, counts, highlight, prefix: query.prefix, phrases: query.phrases, wanted };
}

/** Whether the tokens of `text` contain `phrase` as consecutive tokens. */
export function containsPhrase(text, phrase) {
  const tokens = tokenize(text);
  outer: for (let i = 0; i + phrase.length <= tokens.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (tokens[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

/** A fragment's blocks, one string each (title, factors, action items, headings, paragraphs, list items, table
 *  cells): a phrase matches within one block, never across a boundary. */
export function fragmentBlocks(fragment) {
  const blocks = [fragment.title, ...fragment.factors.map((f) => f[1]), ...fragment.actions.map((a) => a[0])];
  for (const [heading, text] of fragment.sections) blocks.push(heading, ...text.split(/[\n\t]/));
  return blocks.filter((block) => block);
}

/** Text with every matching word wrapped in <mark>, built as DOM nodes (never as HTML). */
function highlighted(text, matches) {
  const out = document.createDocumentFragment();
  let at = 0;
  for (const word of text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
    if (!matches(fold(word[0]))) continue;
    out.append(text.slice(at, word.index));
    const mark = document.createElement("mark");
    mark.textContent = word[0];
    out.append(mark);
    at = word.index + word[0].length;
  }
  out.append(text.slice(at));
  return out;
}

/** Where a result's snippet comes from: the first section whose text has a match (its heading as the
 *  label), else one whose heading matches, else the opening section without a label. */
export function snippetSource(fragment, matches) {
  const hits = (text) => tokenize(text).some((t) => matches(t));
  const sections = fragment.sections.filter(([, text]) => text);
  const found = sections.find(([, text]) => hits(text)) || sections.find(([heading]) => hits(heading));
  if (found) return { label: found[0], text: found[1] };
  return { label: "", text: fragment.summary || (sections[0] ? sections[0][1] : "") };
}

/** Up to `length` characters of `text` around its first match, on word boundaries. A row's cells are shown
 *  apart by " | " and blocks by " · ", so a timestamp or a cell never runs into its neighbour. */
export function snippet(text, matches, length = 240) {
  text = text.replace(/\t/g, " | ").replace(/\n/g, " · ");
  let first = -1;
  for (const word of text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
    if (matches(fold(word[0]))) { first = word.index; break; }
  }
  if (first < 0) return text.length > length ? text.slice(0, length).replace(/\s+\S*$/, "") + " …" : text;
  let start = Math.max(0, first - 80);
  if (start > 0) start = text.indexOf(" ", start) + 1 || start;
  const end = Math.min(text.length, start + length);
  // Only a cut text loses its last, partial word.
  const shown = end < text.length ? text.slice(start, end).replace(/\s+\S*$/, "") + " …" : text.slice(start);
  return (start > 0 ? "… " : "") + shown;
}

/** The search page: state in the URL, live results, facets, keyboard and screen-reader support. */
class SearchPage {
  constructor(element) {
    this.element = element;
    this.files = new IndexFiles(element.dataset.index);
    this.root = element.dataset.root;
    this.suffix = element.dataset.linkSuffix || "";
    this.input = element.querySelector("#search-q");
    this.sort = element.querySelector("#search-sort");
    this.status = element.querySelector("#search-status");
    this.list = element.querySelector("#search-results");
    this.more = element.querySelector(".search-more");
    this.facetsBox = element.querySelector(".search-facets");
    this.sequence = 0;
    this.shown = 0;
    this.selected = {};
    this.pushTimer = null;

    this.input.addEventListener("input", (event) => this.changed(event.timeStamp, false));
    this.element.querySelector("form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.changed(event.timeStamp, true);
    });
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown") { event.preventDefault(); this.focusResult(0); }
    });
    this.list.addEventListener("keydown", (event) => this.keyInResults(event));
    this.more.addEventListener("click", () => this.renderMore());
    this.sort.addEventListener("change", () => this.run(performance.now(), "push"));
    this.facetsBox.addEventListener("change", (event) => {
      const box = event.target;
      const facet = box.closest("fieldset").dataset.facet;
      const values = new Set(this.selected[facet] || []);
      if (box.checked) values.add(box.value); else values.delete(box.value);
      this.selected[facet] = [...values];
      this.run(performance.now(), "push");
    });
    window.addEventListener("popstate", () => this.restore(performance.now()));
    this.restore(performance.now());
  }

  restore(started) {
    const params = new URLSearchParams(location.search);
    this.input.value = params.get("q") || "";
    this.sort.value = params.get("sort") === "newest" ? "newest" : "";
    this.selected = {};
    for (const facet of FACETS) {
      const values = params.getAll(facet);
      if (values.length) this.selected[facet] = values.map((v) => (facet === "near_miss" ? v.toLowerCase() : slug(v)));
    }
    this.run(started, null);
  }

  changed(started, commit) {
    this.run(started, commit ? "push" : "replace");
    clearTimeout(this.pushTimer);
    // A pause in typing makes a history entry, so back returns to the previous search.
    if (!commit) this.pushTimer = setTimeout(() => this.writeURL("push"), 800);
  }

  writeURL(mode) {
    const params = new URLSearchParams();
    if (this.input.value.trim()) params.set("q", this.input.value);
    for (const facet of FACETS) for (const value of this.selected[facet] || []) params.append(facet, value);
    if (this.sort.value) params.set("sort", this.sort.value);
    const url = location.pathname + (params.toString() ? "?" + params : "");
    if (url === location.pathname + location.search) return;
    if (mode === "push") history.pushState(null, "", url); else history.replaceState(null, "", url);
  }

  async run(started, urlMode) {
    const sequence = ++this.sequence;
    if (urlMode) this.writeURL(urlMode);
    const text = this.input.value;
    const query = parseQuery(text);
    let outcome;
    try {
      outcome = await search(this.files, query, this.selected);
      if (outcome.phrases.length) outcome.results = await this.verifyPhrases(outcome.results, outcome.phrases);
      // Newest first is the same results in document order (documents are numbered oldest first): none is dropped.
      if (this.sort.value === "newest") outcome.results = [...outcome.results].sort((a, b) => b - a);
    } catch (error) {
      if (sequence === this.sequence) this.status.textContent = `Search is unavailable: ${error.message}`;
      return;
    }
    if (sequence !== this.sequence) return;
    this.outcome = outcome;
    this.matcher = (word) => outcome.highlight.has(word) || (outcome.prefix !== null && word.startsWith(outcome.prefix));
    this.renderFacets(outcome);
    this.list.replaceChildren();
    this.shown = 0;
    await this.renderMore(sequence);
    if (sequence !== this.sequence) return;
    const n = outcome.results.length;
    const filtered = Object.keys(outcome.wanted).length > 0;
    this.status.textContent = (n === 0 ? "No post-mortems match" : `${n} post-mortem${n === 1 ? "" : "s"}`)
      + (text.trim() ? ` for “${text.trim()}”` : filtered ? "" : " in the archive") + (filtered ? " with the chosen filters" : "") + ".";
    this.element.dataset.state = "ready";
    this.element.dispatchEvent(new CustomEvent("hindsight:results", {
      detail: { query: text, count: n, milliseconds: performance.now() - started },
    }));
  }

  async verifyPhrases(results, phrases) {
    const kept = [];
    for (const doc of results.slice(0, PHRASE_SCAN_LIMIT)) {
      const blocks = fragmentBlocks(await this.files.fragment(doc));
      if (phrases.every((phrase) => blocks.some((block) => containsPhrase(block, phrase)))) kept.push(doc);
    }
    return kept;
  }

  renderFacets(outcome) {
    this.facetsBox.hidden = false;
    for (const fieldset of this.facetsBox.querySelectorAll("fieldset")) {
      const facet = fieldset.dataset.facet;
      const list = fieldset.querySelector("ul");
      list.replaceChildren();
      for (const entry of outcome.counts[facet]) {
        const id = `facet-${facet}-${entry.value}`;
        const item = document.createElement("li");
        const label = document.createElement("label");
        const box = document.createElement("input");
        box.type = "checkbox";
        box.id = id;
        box.value = entry.value;
        box.checked = (this.selected[facet] || []).includes(entry.value);
        label.htmlFor = id;
        label.append(box, " ", facet === "near_miss" ? (entry.name === "yes" ? "Near misses" : "Incidents") : entry.name);
        const count = document.createElement("span");
        count.className = "count";
        count.textContent = String(entry.count);
        count.setAttribute("aria-label", `${entry.count} results`);
        item.append(label, count);
        list.append(item);
      }
      fieldset.hidden = list.children.length === 0;
    }
  }

  async renderMore(sequence = this.sequence) {
    const docs = this.outcome.results.slice(this.shown, this.shown + PAGE_SIZE);
    const fragments = await Promise.all(docs.map((doc) => this.files.fragment(doc)));
    if (sequence !== this.sequence) return;
    for (const fragment of fragments) this.list.append(this.resultItem(fragment));
    this.shown += docs.length;
    this.more.hidden = this.shown >= this.outcome.results.length;
  }

  resultItem(fragment) {
    const item = document.createElement("li");
    const heading = document.createElement("h2");
    const link = document.createElement("a");
    link.href = this.root + fragment.url + this.suffix;
    link.append(highlighted(fragment.title, this.matcher));
    heading.append(link);

    const meta = document.createElement("p");
    meta.className = "meta";
    if (fragment.date) {
      const time = document.createElement("time");
      time.dateTime = fragment.date;
      time.textContent = fragment.date;
      meta.append(time);
    }
    if (fragment.severity) {
      const badge = document.createElement("span");
      badge.className = `badge ${slug(fragment.severity)}`;
      badge.textContent = fragment.severity;
      meta.append(" ", badge);
    }
    if (fragment.near_miss) {
      const badge = document.createElement("span");
      badge.className = "badge near-miss";
      badge.textContent = "Near miss";
      meta.append(" ", badge);
    }
    if (fragment.services.length) meta.append(` · ${fragment.services.join(", ")}`);

    const body = document.createElement("p");
    body.className = "snippet";
    const source = snippetSource(fragment, this.matcher);
    if (source.label) {
      const label = document.createElement("span");
      label.className = "snippet-label";
      label.textContent = source.label;
      body.append(label, " · ");
    }
    body.append(highlighted(snippet(source.text, this.matcher), this.matcher));
    item.append(heading, meta, body);

    // Factors and action items the query matched are shown with the result.
    const hits = (text) => tokenize(text).some((t) => this.matcher(t));
    const matchedFactors = fragment.factors.filter(([, text]) => hits(text)).slice(0, 2);
    for (const [type, text] of matchedFactors) {
      const line = document.createElement("p");
      line.className = "matched factor";
      const label = document.createElement("strong");
      label.textContent = `${type} factor: `;
      line.append(label, highlighted(text, this.matcher));
      item.append(line);
    }
    const matchedActions = fragment.actions.filter(([text]) => hits(text)).slice(0, 1);
    for (const [text, owner, status] of matchedActions) {
      const line = document.createElement("p");
      line.className = "matched action";
      const label = document.createElement("strong");
      label.textContent = `Action item (${status}${owner ? ", " + owner : ""}): `;
      line.append(label, highlighted(text, this.matcher));
      item.append(line);
    }
    return item;
  }

  links() { return [...this.list.querySelectorAll("h2 a")]; }

  focusResult(index) {
    const links = this.links();
    if (links.length) links[Math.max(0, Math.min(index, links.length - 1))].focus();
  }

  keyInResults(event) {
    const links = this.links();
    const at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown") { event.preventDefault(); this.focusResult(at + 1); }
    else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (at <= 0) this.input.focus(); else this.focusResult(at - 1);
    } else if (event.key === "Escape") { this.input.focus(); }
  }
}

const element = document.getElementById("hindsight-search");
if (element) window.hindsightSearch = new SearchPage(element);
