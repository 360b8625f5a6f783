// The compare page: plain DOM, no framework. Everything it shows comes from the public
// /graphql endpoint; the compared ids live in the URL (?ids=a,b) so a comparison can be shared,
// each percent-encoded (a comma in an id is %2C) and separated by plain commas.
(function () {
  'use strict';

  var MAX = 4;
  var ENDPOINT = '/graphql';
  var SEARCH = 'query CompareSearch($text: String!) { search(text: $text, first: 8, kinds: [CREDENTIAL]) ' +
    '{ id name node { ... on Credential { type issuer { name } } } } }';
  // `fields`: the Credential fields this API has; the evidence (outcomes, quality, stacking)
  // is asked for only where they exist.
  function compareQuery(fields) {
    return 'query ComparePage($ids: [ID!]!) { compareCredentials(ids: $ids) { ' +
      'credentials { id name url type issuer { name url } transparency { score missing } ' +
      'provenance { url source format fetchedAt licence } skills { id name framework uri } ' +
      evidence.selection(fields) + '} ' +
      'rows { field label values } sharedSkills { id name } ' +
      'sharedSkillMatches { skills { id } } similarity { a b jaccard } ' +
      'uniqueSkills { credential { id } skills { id name } } unknownIds } }';
  }
  // Which evidence fields this API's Credential has (outcomes, quality, preparesFor...): asked
  // once, so the page works with and without them (each section appears only where its
  // fields exist, the outcomes chart only where there is something to chart).
  var FEATURES = '{ __type(name: "Credential") { fields { name } } }';
  var SUGGEST = 'query CompareSuggestions { credentials(first: 6) { edges { node { id name type issuer { name } } } } }';
  var labels = window.credgraphLabels;
  var evidence = window.credgraphEvidence.create({ el: el, bars: bars });
  // Rows shown richer than the API's text: skills and transparency get their own rows below.
  var OWN_ROWS = { skills: true, transparency: true };

  var $ = function (id) { return document.getElementById(id); };
  var search = $('search'), results = $('results'), chosen = $('chosen'), statusLine = $('status');
  var table = $('table'), wrap = document.querySelector('#comparison .table-wrap');
  var empty = $('empty'), refused = $('refused');
  var fromUrl = idsFromUrl();
  // `seq` numbers searches, `loadSeq` comparisons: only the answer to the latest one is shown.
  // `names`: each id's name once known (from a pick or an answer), for its chip.
  var state = { ids: fromUrl.ids, comparison: null, options: [], active: -1, seq: 0, loadSeq: 0,
    fields: null, names: {} };

  // Read from the undecoded query: decoded, an id's %2C could not be told from a separator.
  function idsFromUrl() {
    var seen = [], over = [];
    rawParam('ids').split(',').forEach(function (id) {
      id = decoded(id).trim();
      if (!id || seen.indexOf(id) >= 0 || over.indexOf(id) >= 0) return;
      (seen.length < MAX ? seen : over).push(id);
    });
    return { ids: seen, over: over };
  }

  function rawParam(name) {
    var pairs = location.search.slice(1).split('&');
    for (var i = 0; i < pairs.length; i++) {
      var at = pairs[i].indexOf('=');
      if (at > 0 && decoded(pairs[i].slice(0, at)) === name) return pairs[i].slice(at + 1);
    }
    return '';
  }

  // As URLSearchParams reads a value ('+' is a space), keeping a malformed escape as written.
  function decoded(text) {
    text = text.replace(/\+/g, ' ');
    try { return decodeURIComponent(text); } catch (e) { return text; }
  }

  // A refusal stays on screen (role=alert) until the next change, unlike the status line.
  function refuse(message) {
    refused.textContent = message;
    refused.hidden = !message;
  }

  function writeUrl() {
    var params = new URLSearchParams(location.search);
    params.delete('ids');
    var query = params.toString();
    if (state.ids.length) {
      query += (query ? '&' : '') + 'ids=' + state.ids.map(encodeURIComponent).join(',');
    }
    history.replaceState(null, '', location.pathname + (query ? '?' + query : ''));
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
      var meta = [labels.type(node.type), node.issuer && node.issuer.name].filter(Boolean).join(' · ');
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
    if (state.ids.length >= MAX) {
      refuse('At most four credentials can be compared: ' + name + ' was not added. Remove one first.');
      return;
    }
    refuse('');
    state.ids.push(id);
    state.names[id] = name;
    writeUrl();
    renderChips();
    say('Added ' + name + '.');
    load();
  }

  function remove(id) {
    state.ids = state.ids.filter(function (x) { return x !== id; });
    refuse('');
    writeUrl();
    renderChips();
    say('Removed.');
    load();
    search.focus();
  }

  function evidenceFields() {
    if (state.fields !== null) return Promise.resolve(state.fields);
    return gql(FEATURES, {}).then(function (data) {
      var fields = {};
      ((data.__type && data.__type.fields) || []).forEach(function (f) {
        if (window.credgraphEvidence.fields.indexOf(f.name) >= 0) fields[f.name] = true;
      });
      state.fields = fields;
      return fields;
    }).catch(function () { state.fields = {}; return state.fields; });
  }

  function suggest() {
    var box = $('suggestions'), list = $('suggestion-list');
    if (state.ids.length) { box.hidden = true; return; }
    gql(SUGGEST, {}).then(function (data) {
      if (state.ids.length) return;
      list.textContent = '';
      data.credentials.edges.forEach(function (edge) {
        var node = edge.node;
        var meta = [labels.type(node.type), node.issuer && node.issuer.name].filter(Boolean).join(' · ');
        var button = el('button', { type: 'button', className: 'suggestion', 'data-id': node.id }, [
          el('span', { text: node.name }), el('span', { className: 'meta', text: meta }),
        ]);
        button.addEventListener('click', function () { add(node.id, node.name); });
        list.appendChild(el('li', {}, [button]));
      });
      box.hidden = !data.credentials.edges.length;
    }).catch(function (error) { say('Suggestions failed: ' + error.message); });
  }

  // Answers can arrive out of order (a slow one for the set before the last change): only
  // the answer for the ids compared now is shown.
  function load() {
    var seq = ++state.loadSeq;
    suggest();
    if (!state.ids.length) { state.comparison = null; render(); return; }
    evidenceFields().then(function (fields) {
      return gql(compareQuery(fields), { ids: state.ids });
    }).then(function (data) {
      if (seq !== state.loadSeq) return;
      state.comparison = data.compareCredentials;
      state.comparison.credentials.forEach(function (cred) { state.names[cred.id] = cred.name; });
      keepCompared(state.comparison);
      if (state.comparison.unknownIds.length) {
        say('Not found, left out: ' + state.comparison.unknownIds.join(', '));
      }
      render();
    }).catch(function (error) {
      if (seq === state.loadSeq) say('Comparison failed: ' + error.message);
    });
  }

  // The ids the API compared become the compared set: an id it does not know (a stale shared
  // link) leaves it and the URL rather than hold one of the four places with no chip to free
  // it, and a CTID or URL given for a credential becomes that credential's id.
  function keepCompared(comparison) {
    var ids = comparison.credentials.map(function (cred) { return cred.id; });
    if (ids.join('\n') === state.ids.join('\n')) return;
    state.ids = ids;
    writeUrl();
  }

  // -- rendering ---------------------------------------------------------------------------
  function render() {
    var c = state.comparison;
    var credentials = c ? c.credentials : [];
    renderChips();
    $('download').disabled = $('print').disabled = !credentials.length;
    wrap.hidden = !credentials.length;
    empty.hidden = credentials.length > 1;
    table.textContent = '';
    $('skills-section').hidden = $('charts').hidden = !credentials.length;
    $('similarity-section').hidden = credentials.length < 2;
    var fields = state.fields || {};
    var stacking = evidence.stackingFields.some(function (f) { return fields[f]; });
    $('outcomes-section').hidden = !credentials.length || !fields.outcomes;
    $('quality-section').hidden = !credentials.length || !fields.quality;
    $('stacking-section').hidden = !credentials.length || !stacking;
    if (!credentials.length) return;
    table.appendChild(el('caption', { className: 'visually-hidden', text: 'Credentials compared field by field' }));
    table.appendChild(el('thead', {}, [headRow('Field', credentials)]));
    var body = el('tbody');
    c.rows.forEach(function (row) {
      if (OWN_ROWS[row.field]) return;
      var values = row.field === 'type' ? row.values.map(labels.type) : row.values;
      body.appendChild(textRow(row.label, values, row.field));
    });
    body.appendChild(transparencyRow(credentials));
    body.appendChild(skillsRow(c, credentials));
    body.appendChild(sourcesRow(credentials));
    table.appendChild(body);
    renderSkills(c, credentials);
    renderSimilarity(c, credentials);
    renderTransparencyChart(credentials);
    evidence.renderOutcomesChart($('outcomes-chart'), credentials);
    if (fields.outcomes) evidence.renderOutcomes($('outcomes-section'), credentials, headRow);
    if (fields.quality) evidence.renderQuality($('quality-section'), credentials, headRow);
    if (stacking) evidence.renderStacking($('stacking-section'), credentials, headRow, fields);
  }

  function headRow(first, credentials) {
    var head = el('tr', {}, [el('th', { scope: 'col', text: first })]);
    credentials.forEach(function (cred) {
      var title = cred.url ? el('a', { href: cred.url, text: cred.name }) : el('span', { text: cred.name });
      head.appendChild(el('th', { scope: 'col' }, [title]));
    });
    return head;
  }

  // One chip per compared id, drawn from the ids (not from an answer, which may be for an
  // earlier set): the id itself until its name is known.
  function renderChips() {
    chosen.textContent = '';
    state.ids.forEach(function (id) {
      var name = state.names[id] || id;
      var button = el('button', { type: 'button', 'aria-label': 'Remove ' + name, text: '×' });
      button.addEventListener('click', function () { remove(id); });
      chosen.appendChild(el('li', { className: 'chip' }, [el('span', { text: name }), button]));
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

  function missingText(t) {
    return t.missing.length ? 'Missing: ' + t.missing.map(labels.field).join(', ') : 'Nothing missing';
  }

  function transparencyRow(credentials) {
    var tr = el('tr', { 'data-field': 'transparency' }, [el('th', { scope: 'row', text: 'Transparency' })]);
    credentials.forEach(function (cred) {
      var t = cred.transparency;
      tr.appendChild(el('td', {}, [
        el('span', { className: 'score', text: Math.round(t.score) + ' / 100' }),
        el('div', { className: 'missing', text: missingText(t) }),
      ]));
    });
    return tr;
  }

  // One row per skill of any compared credential. Nodes the API matched as equivalent across
  // all the credentials (sharedSkillMatches) are one row; otherwise a row is one node.
  function skillMatrix(c, credentials) {
    var rowOf = {};
    c.sharedSkillMatches.forEach(function (match) {
      var key = match.skills[0].id;
      match.skills.forEach(function (s) { rowOf[s.id] = key; });
    });
    var rows = {}, order = [];
    credentials.forEach(function (cred, column) {
      cred.skills.forEach(function (skill) {
        var key = rowOf[skill.id] || skill.id;
        if (!rows[key]) { rows[key] = { skill: skill, has: credentials.map(function () { return null; }) }; order.push(key); }
        rows[key].has[column] = skill;
      });
    });
    return order.map(function (key) {
      var row = rows[key];
      row.count = row.has.filter(Boolean).length;
      return row;
    }).sort(function (x, y) {
      return y.count - x.count || x.skill.name.localeCompare(y.skill.name);
    });
  }

  function groupOf(count, total) {
    if (count === total && total > 1) return { key: 'all', title: 'Shared by all ' + total };
    if (count > 1) return { key: 'some', title: 'Shared by ' + count + ' of ' + total };
    return { key: 'one', title: total > 1 ? 'Only one has it' : 'Skills' };
  }

  function skillLabel(skill) {
    var parts = [el('span', { className: 'skill-name', text: skill.name })];
    if (skill.uri) {
      parts.push(el('a', { className: 'framework', href: skill.uri, rel: 'noopener',
        text: skill.framework || 'framework entry' }));
    } else if (skill.framework) {
      parts.push(el('span', { className: 'framework', text: skill.framework }));
    } else {
      parts.push(el('span', { className: 'framework free', text: 'free text' }));
    }
    return parts;
  }

  function renderSkills(c, credentials) {
    var matrix = $('skills');
    matrix.textContent = '';
    matrix.appendChild(el('caption', { className: 'visually-hidden', text: 'Which credential has which skill' }));
    matrix.appendChild(el('thead', {}, [headRow('Skill', credentials)]));
    var rows = skillMatrix(c, credentials), current = null, body = null;
    if (!rows.length) {
      matrix.appendChild(el('tbody', {}, [el('tr', {}, [el('td', { colspan: String(credentials.length + 1),
        className: 'unknown', text: 'None of these credentials states a skill.' })])]));
      return;
    }
    rows.forEach(function (row) {
      var group = groupOf(row.count, credentials.length);
      if (!current || current.title !== group.title) {
        current = group;
        body = el('tbody', { 'data-group': group.key });
        body.appendChild(el('tr', { className: 'group-row' }, [
          el('th', { scope: 'colgroup', colspan: String(credentials.length + 1), text: group.title }),
        ]));
        matrix.appendChild(body);
      }
      var tr = el('tr', { 'data-skill': row.skill.id, 'data-count': String(row.count),
        className: group.key === 'one' ? 'unique' : 'shared' },
        [el('th', { scope: 'row' }, skillLabel(row.skill))]);
      row.has.forEach(function (skill, i) {
        tr.appendChild(skill
          ? el('td', { className: 'has' }, [el('span', { 'aria-hidden': 'true', text: '✓' }),
              el('span', { className: 'visually-hidden', text: credentials[i].name + ' has it' }),
              skill.id !== row.skill.id ? el('span', { className: 'meta', text: ' as ' + skill.name }) : null])
          : el('td', { className: 'lacks' }, [el('span', { 'aria-hidden': 'true', text: '–' }),
              el('span', { className: 'visually-hidden', text: 'not in ' + credentials[i].name })]));
      });
      body.appendChild(tr);
    });
  }

  function renderSimilarity(c, credentials) {
    var grid = $('similarity');
    grid.textContent = '';
    if (credentials.length < 2) return;
    var score = {};
    c.similarity.forEach(function (p) { score[p.a + '\n' + p.b] = score[p.b + '\n' + p.a] = p.jaccard; });
    grid.appendChild(el('caption', { className: 'visually-hidden', text: 'Skill overlap of every pair' }));
    grid.appendChild(el('thead', {}, [headRow('', credentials)]));
    var body = el('tbody');
    credentials.forEach(function (row) {
      var tr = el('tr', { 'data-row': row.id }, [el('th', { scope: 'row', text: row.name })]);
      credentials.forEach(function (col) {
        if (row.id === col.id) { tr.appendChild(el('td', { className: 'self', text: '—' })); return; }
        var j = score[row.id + '\n' + col.id];
        var cell = el('td', { 'data-col': col.id, className: 'overlap' });
        if (j === undefined) { cell.textContent = 'n/a'; }
        else {
          var bar = el('span', { className: 'overlap-bar' });
          bar.style.width = Math.round(j * 100) + '%';
          cell.appendChild(el('span', { className: 'overlap-value', text: Math.round(j * 100) + '%' }));
          cell.appendChild(el('span', { className: 'overlap-track', 'aria-hidden': 'true' }, [bar]));
        }
        tr.appendChild(cell);
      });
      body.appendChild(tr);
    });
    grid.appendChild(body);
  }

  // A bar per credential; `items` are {label, value, text}, `max` the full-width value.
  function bars(container, items, max) {
    container.textContent = '';
    items.forEach(function (item) {
      var fill = el('span', { className: 'bar-fill' });
      fill.style.width = (max > 0 ? Math.max(0, Math.min(1, item.value / max)) * 100 : 0) + '%';
      container.appendChild(el('div', { className: 'bar', role: 'img',
        'aria-label': item.label + ': ' + item.text }, [
        el('span', { className: 'bar-label', text: item.label }),
        el('span', { className: 'bar-track' }, [fill]),
        el('span', { className: 'bar-value', text: item.text }),
      ]));
    });
  }

  function renderTransparencyChart(credentials) {
    bars(document.querySelector('#transparency-chart .bars'), credentials.map(function (cred) {
      var score = Math.round(cred.transparency.score);
      return { label: cred.name, value: score, text: score + ' / 100' };
    }), 100);
  }

  function skillsRow(c, credentials) {
    var tr = el('tr', { 'data-field': 'skills' }, [el('th', { scope: 'row', text: 'Skills' })]);
    var matrix = skillMatrix(c, credentials);
    credentials.forEach(function (cred, i) {
      var shared = matrix.filter(function (row) { return row.has[i] && row.count > 1; }).length;
      tr.appendChild(el('td', {}, [
        el('span', { text: cred.skills.length + (cred.skills.length === 1 ? ' skill' : ' skills') }),
        el('div', { className: 'missing', text: shared + ' shared with another · ' +
          (cred.skills.length - shared) + ' only here' }),
      ]));
    });
    var link = el('a', { href: '#skills-title', className: 'see', text: 'See every skill' });
    tr.firstChild.appendChild(el('div', {}, [link]));
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
    c.rows.forEach(function (row) {
      if (OWN_ROWS[row.field]) return;
      lines.push([row.label].concat(row.field === 'type' ? row.values.map(labels.type) : row.values));
    });
    lines.push(['Transparency'].concat(creds.map(function (x) { return Math.round(x.transparency.score); })));
    lines.push(['Missing fields'].concat(creds.map(function (x) { return x.transparency.missing.map(labels.field).join('; '); })));
    lines.push(['Shared skills'].concat(creds.map(function () { return names(c.sharedSkills); })));
    lines.push(['Unique skills'].concat(creds.map(function (x) { return names(unique[x.id] || []); })));
    skillMatrix(c, creds).forEach(function (row) {
      lines.push(['Skill: ' + row.skill.name].concat(row.has.map(function (s) { return s ? 'yes' : ''; })));
    });
    evidence.csvRows(creds).forEach(function (line) { lines.push(line); });
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

  if (fromUrl.over.length) {
    refuse('At most four credentials can be compared: left out ' + fromUrl.over.join(', ') + '.');
  }
  writeUrl();
  renderChips();
  load();
})();
