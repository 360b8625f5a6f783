// The compare page: plain DOM, no framework. Everything it shows comes from the public
// /graphql endpoint; the compared ids live in the URL (?ids=a,b) so a comparison can be shared.
(function () {
  'use strict';

  var MAX = 4;
  var ENDPOINT = '/graphql';
  var SEARCH = 'query CompareSearch($text: String!) { search(text: $text, first: 8, kinds: [CREDENTIAL]) ' +
    '{ id name node { ... on Credential { type issuer { name } } } } }';
  var COMPARE = 'query ComparePage($ids: [ID!]!) { compareCredentials(ids: $ids) { ' +
    'credentials { id name url type issuer { name url } transparency { score missing } ' +
    'provenance { url source format fetchedAt licence } skills { id name framework uri } } ' +
    'rows { field label values } sharedSkills { id name } ' +
    'uniqueSkills { credential { id } skills { id name } } unknownIds } }';
  // Rows shown richer than the API's text: skills and transparency get their own rows below.
  var OWN_ROWS = { skills: true, transparency: true };

  var $ = function (id) { return document.getElementById(id); };
  var search = $('search'), results = $('results'), chosen = $('chosen'), statusLine = $('status');
  var table = $('table'), wrap = document.querySelector('.table-wrap');
  var legend = document.querySelector('.legend'), empty = $('empty');
  var state = { ids: idsFromUrl(), comparison: null, options: [], active: -1, seq: 0 };

  function idsFromUrl() {
    var raw = new URLSearchParams(location.search).get('ids') || '';
    var seen = [];
    raw.split(',').forEach(function (id) {
      id = id.trim();
      if (id && seen.indexOf(id) < 0 && seen.length < MAX) seen.push(id);
    });
    return seen;
  }

  function writeUrl() {
    var url = new URL(location.href);
    if (state.ids.length) url.searchParams.set('ids', state.ids.join(','));
    else url.searchParams.delete('ids');
    // Commas stay readable in a shared link.
    history.replaceState(null, '', url.pathname + url.search.replace(/%2C/gi, ','));
  }

  function gql(query, variables) {
    return fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ query: query, variables: variables }),
    }).then(function (response) {
      return response.json().then(function (body) {
        if (body.errors && !body.data) throw new Error(body.errors[0].message);
        return body.data;
      });
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'className') node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function say(message) { statusLine.textContent = message; }

  // -- search as you type ----------------------------------------------------------------
  var timer = null;
  search.addEventListener('input', function () {
    clearTimeout(timer);
    var text = search.value.trim();
    if (text.length < 2) { closeResults(); return; }
    timer = setTimeout(function () { runSearch(text); }, 150);
  });

  function runSearch(text) {
    var seq = ++state.seq;
    gql(SEARCH, { text: text }).then(function (data) {
      if (seq !== state.seq) return;  // a later keystroke's answer wins
      showResults(data.search.filter(function (hit) { return state.ids.indexOf(hit.id) < 0; }));
    }).catch(function (error) { say('Search failed: ' + error.message); });
  }

  function showResults(hits) {
    state.options = hits;
    state.active = hits.length ? 0 : -1;
    results.textContent = '';
    if (!hits.length) {
      results.appendChild(el('li', { role: 'option', 'aria-disabled': 'true', text: 'No matching credential' }));
    }
    hits.forEach(function (hit, i) {
      var node = hit.node || {};
      var meta = [node.type, node.issuer && node.issuer.name].filter(Boolean).join(' · ');
      var option = el('li', { role: 'option', id: 'option-' + i, 'data-id': hit.id }, [
        el('span', { text: hit.name }), el('br'), el('span', { className: 'meta', text: meta }),
      ]);
      option.addEventListener('mousedown', function (event) { event.preventDefault(); pick(i); });
      results.appendChild(option);
    });
    results.hidden = false;
    search.setAttribute('aria-expanded', 'true');
    highlight();
  }

  function highlight() {
    Array.prototype.forEach.call(results.querySelectorAll('[role=option]'), function (li, i) {
      li.setAttribute('aria-selected', String(i === state.active));
      if (i === state.active) li.scrollIntoView({ block: 'nearest' });
    });
    if (state.active >= 0) search.setAttribute('aria-activedescendant', 'option-' + state.active);
    else search.removeAttribute('aria-activedescendant');
  }

  function closeResults() {
    results.hidden = true;
    results.textContent = '';
    state.options = [];
    state.active = -1;
    search.setAttribute('aria-expanded', 'false');
    search.removeAttribute('aria-activedescendant');
  }

  search.addEventListener('keydown', function (event) {
    var n = state.options.length;
    if (event.key === 'ArrowDown' && n) { state.active = (state.active + 1) % n; highlight(); event.preventDefault(); }
    else if (event.key === 'ArrowUp' && n) { state.active = (state.active - 1 + n) % n; highlight(); event.preventDefault(); }
    else if (event.key === 'Enter' && state.active >= 0) { pick(state.active); event.preventDefault(); }
    else if (event.key === 'Escape') { closeResults(); }
  });
  search.addEventListener('blur', function () { setTimeout(closeResults, 100); });

  function pick(i) {
    var hit = state.options[i];
    if (!hit) return;
    closeResults();
    search.value = '';
    add(hit.id, hit.name);
  }

  // -- the compared set ------------------------------------------------------------------
  function add(id, name) {
    if (state.ids.indexOf(id) >= 0) { say(name + ' is already compared.'); return; }
    if (state.ids.length >= MAX) { say('At most ' + MAX + ' credentials: remove one first.'); return; }
    state.ids.push(id);
    writeUrl();
    say('Added ' + name + '.');
    load();
  }

  function remove(id) {
    state.ids = state.ids.filter(function (x) { return x !== id; });
    writeUrl();
    say('Removed.');
    load();
    search.focus();
  }

  function load() {
    if (!state.ids.length) { state.comparison = null; render(); return; }
    gql(COMPARE, { ids: state.ids }).then(function (data) {
      state.comparison = data.compareCredentials;
      if (state.comparison.unknownIds.length) {
        say('Not found: ' + state.comparison.unknownIds.join(', '));
      }
      render();
    }).catch(function (error) { say('Comparison failed: ' + error.message); });
  }

  // -- rendering ---------------------------------------------------------------------------
  function render() {
    var c = state.comparison;
    var credentials = c ? c.credentials : [];
    renderChips(credentials);
    $('download').disabled = $('print').disabled = !credentials.length;
    wrap.hidden = legend.hidden = !credentials.length;
    empty.hidden = credentials.length > 1;
    table.textContent = '';
    if (!credentials.length) return;
    table.appendChild(el('caption', { className: 'visually-hidden', text: 'Credentials compared field by field' }));
    var head = el('tr', {}, [el('th', { scope: 'col', text: 'Field' })]);
    credentials.forEach(function (cred) {
      var title = cred.url ? el('a', { href: cred.url, text: cred.name }) : el('span', { text: cred.name });
      head.appendChild(el('th', { scope: 'col' }, [title]));
    });
    table.appendChild(el('thead', {}, [head]));
    var body = el('tbody');
    c.rows.forEach(function (row) {
      if (OWN_ROWS[row.field]) return;
      body.appendChild(textRow(row.label, row.values, row.field));
    });
    body.appendChild(transparencyRow(credentials));
    body.appendChild(skillsRow(c, credentials));
    body.appendChild(sourcesRow(credentials));
    table.appendChild(body);
  }

  function renderChips(credentials) {
    chosen.textContent = '';
    credentials.forEach(function (cred) {
      var button = el('button', { type: 'button', 'aria-label': 'Remove ' + cred.name, text: '×' });
      button.addEventListener('click', function () { remove(cred.id); });
      chosen.appendChild(el('li', { className: 'chip' }, [el('span', { text: cred.name }), button]));
    });
  }

  function textRow(label, values, field) {
    var tr = el('tr', { 'data-field': field }, [el('th', { scope: 'row', text: label })]);
    values.forEach(function (value) {
      tr.appendChild(value === null
        ? el('td', { className: 'unknown', text: 'not stated' })
        : el('td', { text: value }));
    });
    return tr;
  }

  function transparencyRow(credentials) {
    var tr = el('tr', { 'data-field': 'transparency' }, [el('th', { scope: 'row', text: 'Transparency' })]);
    credentials.forEach(function (cred) {
      var t = cred.transparency;
      tr.appendChild(el('td', {}, [
        el('span', { className: 'score', text: Math.round(t.score) + ' / 100' }),
        el('div', { className: 'missing', text: t.missing.length ? 'Missing: ' + t.missing.join(', ') : 'Nothing missing' }),
      ]));
    });
    return tr;
  }

  function skillList(skills, shared) {
    return el('ul', { className: 'skills' }, skills.map(function (s) {
      return el('li', { className: shared ? 'shared' : 'unique', text: s.name });
    }));
  }

  function skillsRow(c, credentials) {
    var unique = {};
    c.uniqueSkills.forEach(function (u) { unique[u.credential.id] = u.skills; });
    var tr = el('tr', { 'data-field': 'skills' }, [el('th', { scope: 'row', text: 'Skills' })]);
    credentials.forEach(function (cred) {
      var own = unique[cred.id] || [];
      tr.appendChild(el('td', {}, [
        c.sharedSkills.length ? el('div', { className: 'group', text: 'Shared' }) : null,
        c.sharedSkills.length ? skillList(c.sharedSkills, true) : null,
        el('div', { className: 'group', text: 'Only this one (' + own.length + ')' }),
        own.length ? skillList(own, false) : el('span', { className: 'missing', text: 'none' }),
      ]));
    });
    return tr;
  }

  function sourcesRow(credentials) {
    var tr = el('tr', { 'data-field': 'sources' }, [el('th', { scope: 'row', text: 'Sources' })]);
    credentials.forEach(function (cred) {
      tr.appendChild(el('td', {}, [el('ul', { className: 'sources' }, cred.provenance.map(function (p) {
        var when = p.fetchedAt ? ' · ' + p.fetchedAt.slice(0, 10) : '';
        return el('li', {}, [
          el('a', { href: p.url, rel: 'noopener', text: p.source + ' (' + p.format + ')' }),
          el('span', { className: 'missing', text: when + (p.licence ? ' · ' + p.licence : '') }),
        ]);
      }))]));
    });
    return tr;
  }

  // -- CSV and print -----------------------------------------------------------------------
  function csvCell(value) {
    var text = value === null || value === undefined ? '' : String(value);
    // A leading = + - @ would be run as a formula by spreadsheet programs.
    if (/^[=+\-@]/.test(text)) text = "'" + text;
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function csvText() {
    var c = state.comparison, creds = c.credentials;
    var unique = {};
    c.uniqueSkills.forEach(function (u) { unique[u.credential.id] = u.skills; });
    var names = function (skills) { return skills.map(function (s) { return s.name; }).join('; '); };
    var lines = [['Field'].concat(creds.map(function (x) { return x.name; }))];
    lines.push(['Id'].concat(creds.map(function (x) { return x.id; })));
    c.rows.forEach(function (row) { if (!OWN_ROWS[row.field]) lines.push([row.label].concat(row.values)); });
    lines.push(['Transparency'].concat(creds.map(function (x) { return Math.round(x.transparency.score); })));
    lines.push(['Missing fields'].concat(creds.map(function (x) { return x.transparency.missing.join('; '); })));
    lines.push(['Shared skills'].concat(creds.map(function () { return names(c.sharedSkills); })));
    lines.push(['Unique skills'].concat(creds.map(function (x) { return names(unique[x.id] || []); })));
    lines.push(['Sources'].concat(creds.map(function (x) {
      return x.provenance.map(function (p) { return p.url; }).join(' ');
    })));
    return lines.map(function (line) { return line.map(csvCell).join(','); }).join('\r\n') + '\r\n';
  }

  $('download').addEventListener('click', function () {
    var blob = new Blob([csvText()], { type: 'text/csv;charset=utf-8' });
    var link = el('a', { href: URL.createObjectURL(blob), download: 'credgraph-comparison.csv' });
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  });
  $('print').addEventListener('click', function () { window.print(); });

  writeUrl();
  load();
})();
