// The compare page's evidence tables: what holders report (outcomes), the quality evidence
// and what each credential stacks into. compare.js asks for these fields only where the API's
// schema has them, and hands this module its DOM helpers, so both draw alike.
(function (root) {
  'use strict';

  var labels = root.credgraphLabels;
  // The GraphQL selection of each evidence field, by the Credential field it needs.
  var SELECTIONS = {
    outcomes: 'outcomes { kind value unit currency postReceiptMonths source asOf } ',
    quality: 'quality { assessment outcomesReported outcomesReportedBy ' +
      'assurance { relation name organisationType } signals { signal present source } } ',
    preparesFor: 'preparesFor { id name } ',
    partOf: 'partOf { id name } ',
    advancedStandingFor: 'advancedStandingFor { credential { id name } credits { value unit } description } ',
    publishedPathways: 'publishedPathways { id name } ',
  };
  var STACKING = ['preparesFor', 'partOf', 'advancedStandingFor', 'publishedPathways'];
  var STACKING_LABELS = {
    preparesFor: 'Prepares for', partOf: 'Part of',
    advancedStandingFor: 'Advanced standing toward', publishedPathways: 'Published pathways',
  };

  function number(value) {
    return Number(value).toLocaleString('en-US', { maximumFractionDigits: 2 });
  }

  // "78,500 USD", "84 %", "212 holders": the figure as people read it.
  function figure(o) {
    if (o.currency) return number(o.value) + ' ' + o.currency;
    if (o.unit === '%') return number(o.value) + ' %';
    return number(o.value) + (o.unit ? ' ' + o.unit : '');
  }

  function when(o) {
    var parts = [];
    if (o.postReceiptMonths !== null && o.postReceiptMonths !== undefined) {
      parts.push(o.postReceiptMonths + (o.postReceiptMonths === 1 ? ' month' : ' months') + ' after award');
    }
    if (o.asOf) parts.push('as of ' + o.asOf);
    return parts.join(', ');
  }

  // Outcomes are comparable when they measure the same thing in the same way: the kind, the
  // currency (or unit) and the months after the award all agree.
  function groupKey(o) {
    return [o.kind, o.currency || o.unit || '', o.postReceiptMonths === null ? '' : o.postReceiptMonths].join('|');
  }

  function groupTitle(o) {
    var parts = [o.currency || (o.unit === '%' ? '%' : o.unit)];
    if (o.postReceiptMonths !== null && o.postReceiptMonths !== undefined) {
      parts.push(o.postReceiptMonths + ' months after award');
    }
    var detail = parts.filter(Boolean).join(', ');
    return labels.outcome(o.kind) + (detail ? ' (' + detail + ')' : '');
  }

  function sourceLink(el, source) {
    if (!source) return null;
    return /^https?:\/\//.test(source)
      ? el('a', { href: source, rel: 'noopener', className: 'source', text: 'source' })
      : el('span', { className: 'source', text: source });
  }

  function create(dom) {
    var el = dom.el, bars = dom.bars;

    function selection(fields) {
      return Object.keys(SELECTIONS).filter(function (f) { return fields[f]; })
        .map(function (f) { return SELECTIONS[f]; }).join('');
    }

    function emptyBody(table, credentials, text) {
      table.appendChild(el('tbody', {}, [el('tr', {}, [el('td', {
        colspan: String(credentials.length + 1), className: 'unknown', text: text })])]));
    }

    function renderOutcomes(section, credentials, headRow) {
      var table = section.querySelector('table');
      table.textContent = '';
      table.appendChild(el('caption', { className: 'visually-hidden', text: 'Outcomes each credential reports' }));
      table.appendChild(el('thead', {}, [headRow('Outcome', credentials)]));
      var kinds = [];
      credentials.forEach(function (cred) {
        (cred.outcomes || []).forEach(function (o) { if (kinds.indexOf(o.kind) < 0) kinds.push(o.kind); });
      });
      if (!kinds.length) { emptyBody(table, credentials, 'None of these credentials reports outcomes.'); return; }
      var body = el('tbody');
      kinds.forEach(function (kind) {
        var tr = el('tr', { 'data-kind': kind }, [el('th', { scope: 'row', text: labels.outcome(kind) })]);
        credentials.forEach(function (cred) {
          var found = (cred.outcomes || []).filter(function (o) { return o.kind === kind; });
          if (!found.length) { tr.appendChild(el('td', { className: 'unknown', text: 'not reported' })); return; }
          tr.appendChild(el('td', {}, found.map(function (o) {
            var meta = when(o);
            return el('div', { className: 'outcome' }, [
              el('span', { className: 'figure', text: figure(o) }),
              meta ? el('span', { className: 'missing', text: ' · ' + meta }) : null,
              o.source ? el('span', { className: 'missing', text: ' · ' }) : null,
              sourceLink(el, o.source),
            ]);
          })));
        });
        body.appendChild(tr);
      });
      table.appendChild(body);
    }

    // One bar group per comparable measure that two or more credentials report.
    function renderOutcomesChart(figureNode, credentials) {
      var container = figureNode.querySelector('.bars');
      var groups = {}, order = [];
      credentials.forEach(function (cred) {
        (cred.outcomes || []).forEach(function (o) {
          if (typeof o.value !== 'number') return;
          var key = groupKey(o);
          if (!groups[key]) { groups[key] = { first: o, items: [] }; order.push(key); }
          if (!groups[key].items.some(function (x) { return x.cred.id === cred.id; })) {
            groups[key].items.push({ cred: cred, outcome: o });
          }
        });
      });
      order = order.filter(function (key) { return groups[key].items.length > 1; });
      figureNode.hidden = !order.length;
      container.textContent = '';
      order.forEach(function (key) {
        var group = groups[key], items = group.items;
        var max = Math.max.apply(null, items.map(function (x) { return x.outcome.value; }));
        var box = el('div', { className: 'outcome-kind', 'data-kind': group.first.kind }, [
          el('h3', { text: groupTitle(group.first) }), el('div', { className: 'bars' }),
        ]);
        bars(box.querySelector('.bars'), items.map(function (x) {
          return { label: x.cred.name, value: x.outcome.value, text: figure(x.outcome) };
        }), group.first.unit === '%' ? 100 : max);
        container.appendChild(box);
      });
    }

    function list(items) {
      return el('ul', { className: 'evidence' }, items.map(function (item) { return el('li', {}, item); }));
    }

    function renderQuality(section, credentials, headRow) {
      var table = section.querySelector('table');
      table.textContent = '';
      table.appendChild(el('caption', { className: 'visually-hidden', text: 'Quality evidence of each credential' }));
      table.appendChild(el('thead', {}, [headRow('Evidence', credentials)]));
      var body = el('tbody');
      var rows = [
        ['assurance', 'Quality assurance', function (q) {
          if (!q.assurance.length) return null;
          return list(q.assurance.map(function (a) {
            var kind = labels.organisation(a.organisationType);
            return [el('span', { text: labels.relation(a.relation) + ' ' + a.name }),
              kind ? el('span', { className: 'missing', text: ' (' + kind + ')' }) : null];
          }));
        }],
        ['assessment', 'Assessment', function (q) { return q.assessment ? el('span', { text: q.assessment }) : null; }],
        ['outcomesReportedBy', 'Outcomes reported by', function (q) {
          if (!q.outcomesReported) return null;
          if (!q.outcomesReportedBy.length) return el('span', { text: 'the publisher (no source named)' });
          return list(q.outcomesReportedBy.map(function (s) {
            return [/^https?:\/\//.test(s) ? el('a', { href: s, rel: 'noopener', text: s }) : el('span', { text: s })];
          }));
        }],
      ];
      rows.forEach(function (row) {
        var tr = el('tr', { 'data-evidence': row[0] }, [el('th', { scope: 'row', text: row[1] })]);
        credentials.forEach(function (cred) {
          var shown = cred.quality ? row[2](cred.quality) : null;
          tr.appendChild(shown ? el('td', {}, [shown]) : el('td', { className: 'unknown', text: 'not stated' }));
        });
        body.appendChild(tr);
      });
      var signals = [];
      credentials.forEach(function (cred) {
        ((cred.quality && cred.quality.signals) || []).forEach(function (s) {
          if (signals.indexOf(s.signal) < 0) signals.push(s.signal);
        });
      });
      signals.forEach(function (signal) {
        var tr = el('tr', { 'data-signal': signal }, [el('th', { scope: 'row', text: labels.signal(signal) })]);
        credentials.forEach(function (cred) {
          var s = ((cred.quality && cred.quality.signals) || []).filter(function (x) { return x.signal === signal; })[0];
          if (!s || !s.present) {
            tr.appendChild(el('td', { className: 'lacks' }, [el('span', { 'aria-hidden': 'true', text: '–' }),
              el('span', { className: 'visually-hidden', text: 'absent' }), el('span', { className: 'missing', text: ' absent' })]));
            return;
          }
          tr.appendChild(el('td', { className: 'has' }, [el('span', { 'aria-hidden': 'true', text: '✓' }),
            el('span', { text: ' present' }),
            s.source ? el('div', { className: 'missing', text: s.source }) : null]));
        });
        body.appendChild(tr);
      });
      table.appendChild(body);
    }

    // A stacking target links to a comparison of the two credentials.
    function target(cred, other, extra) {
      var link = el('a', { href: '/compare?ids=' + encodeURIComponent(cred.id) + ',' + encodeURIComponent(other.id),
        text: other.name });
      return [link].concat(extra || []);
    }

    function renderStacking(section, credentials, headRow, fields) {
      var table = section.querySelector('table');
      table.textContent = '';
      table.appendChild(el('caption', { className: 'visually-hidden', text: 'What each credential stacks into' }));
      table.appendChild(el('thead', {}, [headRow('Link', credentials)]));
      var body = el('tbody');
      STACKING.filter(function (f) { return fields[f]; }).forEach(function (field) {
        var tr = el('tr', { 'data-link': field }, [el('th', { scope: 'row', text: STACKING_LABELS[field] })]);
        credentials.forEach(function (cred) {
          var items = (cred[field] || []).map(function (item) {
            if (field === 'publishedPathways') return [el('span', { text: item.name })];
            if (field !== 'advancedStandingFor') return target(cred, item);
            var credit = item.credits
              ? el('span', { className: 'credit', text: ' · ' + number(item.credits.value) + ' ' + (item.credits.unit || 'credits') })
              : null;
            var said = item.description ? el('div', { className: 'missing', text: item.description }) : null;
            return target(cred, item.credential, [credit, said]);
          });
          tr.appendChild(items.length ? el('td', {}, [list(items)]) : el('td', { className: 'unknown', text: 'none stated' }));
        });
        body.appendChild(tr);
      });
      table.appendChild(body);
    }

    // CSV rows for the evidence, in the table's order.
    function csvRows(credentials) {
      var lines = [];
      var join = function (items) { return items.join('; '); };
      if (credentials.some(function (c) { return c.outcomes; })) {
        lines.push(['Outcomes'].concat(credentials.map(function (c) {
          return join((c.outcomes || []).map(function (o) {
            var meta = when(o);
            return labels.outcome(o.kind) + ': ' + figure(o) + (meta ? ' (' + meta + ')' : '');
          }));
        })));
      }
      if (credentials.some(function (c) { return c.quality; })) {
        lines.push(['Quality assurance'].concat(credentials.map(function (c) {
          return join(((c.quality && c.quality.assurance) || []).map(function (a) {
            return labels.relation(a.relation) + ' ' + a.name;
          }));
        })));
      }
      STACKING.forEach(function (field) {
        if (!credentials.some(function (c) { return c[field]; })) return;
        lines.push([STACKING_LABELS[field]].concat(credentials.map(function (c) {
          return join((c[field] || []).map(function (item) {
            if (field !== 'advancedStandingFor') return item.name;
            var credit = item.credits ? ' (' + number(item.credits.value) + ' ' + (item.credits.unit || 'credits') + ')' : '';
            return item.credential.name + credit;
          }));
        })));
      });
      return lines;
    }

    return {
      selection: selection,
      renderOutcomes: renderOutcomes,
      renderOutcomesChart: renderOutcomesChart,
      renderQuality: renderQuality,
      renderStacking: renderStacking,
      csvRows: csvRows,
      stackingFields: STACKING,
    };
  }

  root.credgraphEvidence = { create: create, fields: Object.keys(SELECTIONS) };
})(window);
