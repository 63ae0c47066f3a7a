import re, json, sys, glob, os, datetime

SECTIONS = [
    (1, None), (2, 'Overview'), (2, 'Introduction'), (2, 'Related Documents'),
    (2, 'Architecture'), (3, 'System Context'), (3, 'Components'), (3, 'Data Model'), (3, 'API Design'),
    (2, 'Implementation Details'), (3, 'Algorithms'), (3, 'Libraries and Frameworks'), (3, 'Configuration'),
    (3, 'Security Considerations'), (3, 'Performance Considerations'), (3, 'Scalability Considerations'),
    (2, 'Testing Approach'), (3, 'Unit Testing'), (3, 'Integration Testing'), (3, 'End-to-End Testing'),
    (2, 'Deployment'), (3, 'Dependencies'), (3, 'Migration'), (3, 'Rollback'),
    (2, 'Open Questions'), (2, 'Appendix'), (3, 'References'), (2, 'Approval'),
]
TYPE_RE = re.compile(r'^(UUID|String|String\(\d+\)|Varchar\(\d+\)|Text|Integer|BigInt|SmallInt|Decimal\(\d+,\s?\d+\)|Boolean|Date|Timestamp|Time|JSON|JSONB|Enum\([a-z0-9_]+(, [a-z0-9_]+)*\)|Array<[A-Za-z0-9()]+>|Email|URL)$')


def slug(h):
    h = h.strip().lower()
    h = re.sub(r'[^\w\- ]', '', h)
    return h.replace(' ', '-')


def headings(path):
    out = []
    infence = False
    for l in open(path).read().split('\n'):
        if l.strip().startswith('```'):
            infence = not infence
            continue
        if infence:
            continue
        m = re.match(r'^(#{1,6}) (.*)$', l)
        if m:
            out.append(slug(m.group(2)))
    return out


def strip_code(text):
    res = []
    infence = False
    for l in text.split('\n'):
        if l.strip().startswith('```'):
            infence = not infence
            res.append('')
            continue
        res.append('' if infence else re.sub(r'`[^`]*`', '', l))
    return res


def check_brackets(path, errs):
    for i, l in enumerate(strip_code(open(path).read()), 1):
        l2 = re.sub(r'\[[^\]]*\]\([^)]*\)', '', l)
        if '[' in l2 or ']' in l2:
            errs.append(f'{path}:{i}: bracket text: {l}')


def check_links(path, errs):
    d = os.path.dirname(path)
    for i, l in enumerate(strip_code(open(path).read()), 1):
        for m in re.finditer(r'\[[^\]]*\]\(([^)]*)\)', l):
            href = m.group(1)
            if href.startswith('http'):
                continue
            f, _, anc = href.partition('#')
            target = os.path.join(d, f) if f else path
            if not os.path.exists(target):
                errs.append(f'{path}:{i}: missing link target {href}')
            elif anc and anc not in headings(target):
                errs.append(f'{path}:{i}: missing anchor {href}')


def check_spec(path, expect):
    errs = []
    text = open(path).read()
    lines = text.split('\n')
    n = len(lines) - (1 if text.endswith('\n') else 0)
    if not 250 <= n <= 450:
        errs.append(f'line count {n}')
    check_brackets(path, errs)
    check_links(path, errs)
    # headings
    hs = []
    infence = False
    for i, l in enumerate(lines):
        if l.strip().startswith('```'):
            infence = not infence
            continue
        if infence:
            continue
        m = re.match(r'^(#{1,6}) (.*)$', l)
        if m:
            hs.append((len(m.group(1)), m.group(2), i))
    top = [(lv, t) for lv, t, _ in hs if lv <= 3]
    exp = SECTIONS
    got = [(lv, t if lv > 1 else None) for lv, t in top]
    if got != exp:
        errs.append(f'heading mismatch: {got}')
    if not re.match(r'^# Technical Specification: \S.*$', lines[0]):
        errs.append('title')
    # section non-empty
    for k, (lv, t, i) in enumerate(hs):
        end = hs[k + 1][2] if k + 1 < len(hs) else len(lines)
        body = [x for x in lines[i + 1:end] if x.strip() and x.strip() != '---']
        if not body and not (k + 1 < len(hs) and hs[k + 1][0] > lv):
            errs.append(f'empty section {t}')
        if lv in (2, 3) and not body:
            errs.append(f'section without own prose {t}')
    # metadata
    meta = {}
    for l in lines:
        m = re.match(r'^\*\*(Feature ID|Author|Created Date|Last Updated|Status)\*\*: (.*)$', l)
        if m:
            meta[m.group(1)] = m.group(2)
    for k in ['Feature ID', 'Author', 'Created Date', 'Last Updated']:
        if not meta.get(k, '').endswith('  ') or meta[k].endswith('   '):
            errs.append(f'meta trailing {k}')
    if meta['Status'] != expect['status']:
        errs.append('status')
    if meta['Feature ID'].strip() != expect['id']:
        errs.append('id')
    if not re.match(r'^[A-Z][a-z]+ [A-Z][a-zA-Z]+, [A-Z].*$', meta['Author'].strip()):
        errs.append('author')
    c = datetime.date.fromisoformat(meta['Created Date'].strip())
    u = datetime.date.fromisoformat(meta['Last Updated'].strip())
    if not (c <= u and c.year == 2026 and u < datetime.date(2026, 11, 1)):
        errs.append('dates')
    # related docs
    rel = text.split('## Related Documents')[1].split('\n## ')[0]
    links = re.findall(r'^- \[(.*)\]\((.*)\)$', rel, re.M)
    if links != [('Product Requirements Document', './PRD.md'), ('UI/UX Design', './ui-ux-design.md'), ('Implementation Plan', './implementation-plan.md'), ('Test Plan', './test-plan.md')]:
        errs.append(f'related {links}')
    # components
    comp_sec = text.split('### Components')[1].split('\n### Data Model')[0]
    blocks = re.split(r'^#### ', comp_sec, flags=re.M)[1:]
    names = []
    comps = []
    for b in blocks:
        m = re.match(r'Component (\d+): (.+)\n', b)
        names.append(m.group(2))
        bl = re.findall(r'^- \*\*(\w+)\*\*: (.+)$', b, re.M)
        if [x[0] for x in bl] != ['Purpose', 'Responsibilities', 'Interfaces', 'Dependencies']:
            errs.append(f'component bullets {m.group(2)}')
        comps.append((m.group(2), dict(bl)))
    if not 3 <= len(names) <= 5:
        errs.append('component count')
    nums = [int(re.match(r'Component (\d+)', b).group(1)) for b in blocks]
    if nums != list(range(1, len(nums) + 1)):
        errs.append('component numbering')
    rest = text.replace(comp_sec, '')
    for name, d in comps:
        for dep in [x.strip() for x in d['Dependencies'].split(',')]:
            if dep == name:
                errs.append(f'self dep {name}')
            elif dep in names:
                continue
            elif dep not in rest:
                errs.append(f'dep {dep} of {name} not mentioned elsewhere')
            else:
                print(f'   ext dep ok: {name} -> {dep}')
    # entities
    dm = text.split('### Data Model')[1].split('\n### API Design')[0]
    eblocks = re.split(r'^#### ', dm, flags=re.M)[1:]
    ents = {}
    for b in eblocks:
        m = re.match(r'Entity (\d+): ([A-Z][a-zA-Z0-9]*)\n', b)
        if not m:
            errs.append(f'entity header {b[:40]}')
            continue
        rows = [l for l in b.split('\n') if l.startswith('|')]
        if rows[0] != '| Field | Type | Description | Constraints |':
            errs.append('entity header row')
        if not re.match(r'^\|[-|]+\|$', rows[1]):
            errs.append('sep')
        fields = {}
        pk = 0
        for r in rows[2:]:
            cells = [x.strip() for x in r.strip('|').split('|')]
            if len(cells) != 4:
                errs.append(f'cells {r}')
                continue
            f, t, desc, con = cells
            if not re.match(r'^[a-z][a-zA-Z0-9]*$', f):
                errs.append(f'field name {f}')
            if f in fields:
                errs.append(f'dup field {f}')
            fields[f] = (t, con)
            if not TYPE_RE.match(t):
                errs.append(f'type {t}')
            if con != '-':
                for c in [x.strip() for x in con.split(',')]:
                    if c == 'Primary key':
                        pk += 1
                    elif c in ('Not null', 'Nullable', 'Unique', 'Indexed'):
                        pass
                    elif re.match(r"^Default (\d+|now\(\)|'[a-z_]+'|true|false)$", c):
                        pass
                    elif re.match(r'^Check (>|>=|<|<=) -?\d+$', c):
                        pass
                    elif re.match(r'^Foreign key → ([A-Z]\w*)\.(\w+)$', c):
                        pass
                    else:
                        errs.append(f'constraint {c}')
            if 'Not null' in con and 'Nullable' in con:
                errs.append(f'null conflict {f}')
        first = rows[2].strip('|').split('|')
        if [x.strip() for x in first][0:2] != ['id', 'UUID'] or first[3].strip() != 'Primary key':
            errs.append(f'first row {m.group(2)}')
        if pk != 1:
            errs.append('pk count')
        ents[m.group(2)] = fields
    if not 2 <= len(ents) <= 4:
        errs.append('entity count')
    for en, fs in ents.items():
        for f, (t, con) in fs.items():
            for mm in re.finditer(r'Foreign key → ([A-Z]\w*)\.(\w+)', con):
                if mm.group(1) == en or mm.group(1) not in ents or mm.group(2) not in ents[mm.group(1)]:
                    errs.append(f'fk {en}.{f}')
    alltypes = {}
    for en, fs in ents.items():
        for f, (t, con) in fs.items():
            alltypes.setdefault(f, []).append((t, 'Nullable' in con))

    def checkjson(obj, where):
        if isinstance(obj, dict):
            for k, v in obj.items():
                if k in alltypes and not isinstance(v, (dict, list)):
                    for t, nullable in alltypes[k]:
                        ok = True
                        if v is None:
                            ok = nullable
                        elif t in ('Integer', 'BigInt', 'SmallInt') or t.startswith('Decimal'):
                            ok = isinstance(v, (int, float)) and not isinstance(v, bool)
                        elif t == 'Boolean':
                            ok = isinstance(v, bool)
                        elif t.startswith('Enum('):
                            ok = isinstance(v, str) and v in [x.strip() for x in t[5:-1].split(',')]
                        elif t == 'UUID':
                            ok = isinstance(v, str) and re.match(r'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', v)
                        elif t == 'Timestamp':
                            ok = isinstance(v, str) and re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$', v)
                        elif t == 'Time':
                            ok = isinstance(v, str) and re.match(r'^\d\d:\d\d$', v)
                        elif t in ('JSON', 'JSONB'):
                            ok = True
                        else:
                            ok = isinstance(v, str)
                        if not ok:
                            errs.append(f'json type {where}: {k}={v!r} vs {t}')
                checkjson(v, where)
        elif isinstance(obj, list):
            for v in obj:
                checkjson(v, where)
    # APIs
    api = text.split('### API Design')[1].split('\n## Implementation Details')[0]
    ablocks = re.split(r'^#### ', api, flags=re.M)[1:]
    seen = set()
    if not 3 <= len(ablocks) <= 5:
        errs.append('api count')
    for b in ablocks:
        name = b.split('\n')[0]
        if not re.match(r'^API \d+: \S', name):
            errs.append(f'api name {name}')
        bl = [l for l in b.split('\n')[1:] if l.strip()]
        ep = re.match(r'^- \*\*Endpoint\*\*: `(/[^`]*)`$', bl[0])
        me = re.match(r'^- \*\*Method\*\*: (GET|POST|PUT|PATCH|DELETE)$', bl[1])
        if not ep or not me:
            errs.append(f'ep/method {name}')
            continue
        key = (me.group(1), ep.group(1))
        if key in seen:
            errs.append(f'dup api {key}')
        seen.add(key)
        if bl[2] != '- **Request Parameters**:':
            errs.append(f'params {name}')
        params = []
        j = 3
        while bl[j].startswith('  - '):
            params.append(bl[j])
            j += 1
        pnames = []
        for p in params:
            mm = re.match(r'^  - ([A-Za-z][\w-]*): (\S+) - \S.*$', p)
            if not mm and p != '  - None':
                errs.append(f'param format {p}')
            if mm:
                pnames.append(mm.group(1))
                if not TYPE_RE.match(mm.group(2)):
                    errs.append(f'param type {p}')
        for pp in re.findall(r'\{(\w+)\}', ep.group(1)):
            if pp not in pnames:
                errs.append(f'missing path param {pp} in {name}')
        order = [re.match(r'^- \*\*([\w ]+)\*\*:', l).group(1) for l in bl if re.match(r'^- \*\*', l)]
        want = ['Endpoint', 'Method', 'Request Parameters'] + (['Request Body'] if me.group(1) in ('POST', 'PUT', 'PATCH') else []) + ['Response', 'Error Responses']
        if order != want:
            errs.append(f'api bullets {name}: {order}')
        for js in re.findall(r'  ```json\n(.*?)\n  ```', b, re.S):
            try:
                obj = json.loads(js)
                checkjson(obj, name)
            except Exception as e:
                errs.append(f'json {name}: {e}')
        nj = len(re.findall(r'```json', b))
        if nj != (2 if me.group(1) in ('POST', 'PUT', 'PATCH') else 1):
            errs.append(f'json count {name}')
        er = b.split("- **Error Responses**:")[1].strip("\n").split("\n")
        for e in er:
            if not re.match(r'^  - [45]\d\d: \S', e):
                errs.append(f'error line {e!r}')
    # libraries/deps lists
    for sec, nxt in [('### Libraries and Frameworks', '\n### Configuration'), ('### Dependencies', '\n### Migration'), ('### References', '\n---')]:
        body = text.split(sec)[1].split(nxt)[0]
        if not re.search(r'^- ', body, re.M):
            errs.append(f'no bullets {sec}')
    refs = text.split('### References')[1].split('\n---')[0]
    for l in refs.split('\n'):
        if l.startswith('- ') and not re.match(r'^- \[[^\]]+\]\(https?://[^)]+\)$', l):
            errs.append(f'ref {l}')
    oq = text.split('## Open Questions')[1].split('\n## Appendix')[0]
    qs = re.findall(r'^- (.*)$', oq, re.M)
    if expect['oq'] == 0:
        if oq.strip() != 'None.':
            errs.append('open questions should be None.')
    else:
        if not (1 <= len(qs) <= expect['oq']) or not all(q.endswith('?') for q in qs):
            errs.append(f'open questions {qs}')
    appr = re.findall(r'^\*\*(\w+ Lead)\*\*: ([A-Z][a-z]+ [A-Z][a-zA-Z]+) - (Approved|Pending)  $', text, re.M)
    got = [(a[0], a[2]) for a in appr]
    if got != list(zip(['Engineering Lead', 'Architecture Lead', 'Security Lead'], expect['appr'])):
        errs.append(f'approvals {appr}')
    return errs


def check_doc(path, title_prefix, heads):
    errs = []
    text = open(path).read()
    lines = text.rstrip('\n').split('\n')
    if not 40 <= len(lines) <= 120:
        errs.append(f'lines {len(lines)}')
    if not lines[0].startswith(title_prefix):
        errs.append('title')
    for h in heads:
        if f'\n## {h}\n' not in text:
            errs.append(f'missing heading {h}')
    if '- [Technical Specification](./technical-specification.md)' not in text:
        errs.append('backlink')
    for k in ['Feature ID', 'Author', 'Created Date', 'Last Updated']:
        if not re.search(r'^\*\*' + k + r'\*\*: \S.*\S  $', text, re.M):
            errs.append(f'meta {k}')
    check_brackets(path, errs)
    check_links(path, errs)
    return errs


DOCS = {
    'PRD.md': ('# Product Requirements Document: ', ['Problem', 'Goals', 'Non-Goals', 'User Stories', 'Requirements', 'Success Metrics', 'Release Criteria', 'Open Questions']),
    'ui-ux-design.md': ('# UI/UX Design: ', ['User Flows', 'Screens', 'States and Errors', 'Accessibility', 'Copy', 'Design Assets']),
    'implementation-plan.md': ('# Implementation Plan: ', ['Milestones', 'Work Breakdown', 'Dependencies', 'Risks and Mitigations', 'Rollout', 'Staffing']),
    'test-plan.md': ('# Test Plan: ', ['Scope', 'Test Strategy', 'Test Cases', 'Environments', 'Entry and Exit Criteria', 'Risks']),
}
EXP = {
    'FEAT-0001-refund-processing': dict(id='FEAT-0001', status='Approved', oq=0, appr=['Approved'] * 3),
    'FEAT-0002-notification-preferences': dict(id='FEAT-0002', status='In Review', oq=2, appr=['Approved', 'Pending', 'Pending']),
    'FEAT-0003-warehouse-stock-reservation': dict(id='FEAT-0003', status='Draft', oq=3, appr=['Pending'] * 3),
}
base = os.path.dirname(os.path.abspath(__file__))
for d, e in EXP.items():
    p = os.path.join(base, 'specs', d, 'technical-specification.md')
    if not os.path.exists(p):
        continue
    print(d)
    text = open(p).read()
    title = text.split('\n')[0].split(': ', 1)[1]
    for x in check_spec(p, e):
        print('  SPEC', x)
    meta = re.findall(r'^\*\*(?:Feature ID)\*\*: (.*)$', text, re.M)
    for doc, (pref, heads) in DOCS.items():
        dp = os.path.join(base, 'specs', d, doc)
        if not os.path.exists(dp):
            print('  missing', doc)
            continue
        for x in check_doc(dp, pref + title, heads):
            print('  ', doc, x)
        dt = open(dp).read()
        if f'**Feature ID**: {e["id"]}  ' not in dt:
            print('  ', doc, 'feature id mismatch')
