// The credgraph explorer: GraphiQL over our own /graphql, with named example operations.
// The page that loads this script (credgraph.api.http.explorer) puts a JSON config in
// <script id="credgraph-explorer-config" type="application/json">: the endpoint and the
// example tabs, whose variables the server fills with ids from its own store.
import { GraphiQL } from 'graphiql';
import { createRoot } from 'react-dom/client';
import 'graphiql/style.css';
import './explorer.css';

function readConfig() {
  const element = document.getElementById('credgraph-explorer-config');
  return element ? JSON.parse(element.textContent) : {};
}

// A plain fetch fetcher: no subscriptions, so @graphiql/toolkit's websocket client is not needed.
function makeFetcher(endpoint) {
  return async (params, options) => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        ...(options && options.headers),
      },
      body: JSON.stringify(params),
    });
    return response.json();
  };
}

const config = readConfig();
const tabs = config.tabs || [];
// GraphiQL 4 fills the editors of a first visit from `query`/`variables`, not from the first
// of `defaultTabs`: hand it that tab too, unless tabs were kept from an earlier visit.
const firstVisit = tabs.length > 0 && !window.localStorage.getItem('graphiql:tabState');
createRoot(document.getElementById('graphiql')).render(
  <GraphiQL
    fetcher={makeFetcher(config.endpoint || '/graphql')}
    defaultTabs={tabs}
    query={firstVisit ? tabs[0].query : undefined}
    variables={firstVisit ? tabs[0].variables : undefined}
    defaultEditorToolsVisibility="variables"
    shouldPersistHeaders={false}
  />,
);
