// Live updates: the moderators' server-sent event stream (GET /api/moderation/events), read with
// fetch so the token travels in the Authorization header as for every other call. EventSource
// cannot send that header, and a token in the URL would end up in access logs and history.
import {session} from './api.js';

const RECONNECT_MS = 2000;

/**
 * Follows the stream until close(): calls onEvent({id, type, data}) for each event, and onState
 * ('live' or 'offline') when the connection opens or drops. A dropped stream is resumed after the
 * last event received (Last-Event-ID), so nothing is missed and nothing repeats.
 */
export function follow(path, onEvent, onState = () => {}) {
  let lastId = null;
  let closed = false;
  let controller = null;
  let timer = null;

  async function connect() {
    const current = session.get();
    if (closed || !current) return;
    controller = new AbortController();
    const headers = {Accept: 'text/event-stream', Authorization: `Bearer ${current.token}`};
    if (lastId !== null) headers['Last-Event-ID'] = lastId;
    try {
      const response = await fetch(path, {headers, credentials: 'omit', cache: 'no-store', signal: controller.signal});
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      await read(response.body.getReader());
    } catch (e) {
      // dropped, refused or aborted: resumed below unless closed
    }
    onState('offline');
    if (!closed) timer = setTimeout(connect, RECONNECT_MS);
  }

  async function read(reader) {
    const decoder = new TextDecoder();
    let buffer = '';
    let event = {id: null, type: 'message', data: []};
    for (;;) {
      const {done, value} = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, {stream: true});
      let newline;
      while ((newline = buffer.search(/\r?\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer[newline] === '\r' ? 2 : 1));
        if (line === '') {
          if (event.data.length) dispatch(event);
          event = {id: null, type: 'message', data: []};
        } else if (line.startsWith(':')) {
          // The server's first comment says the stream is registered; later ones are heartbeats.
          if (line.slice(1).trim() === 'connected') onState('live');
        } else {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id') event.id = text;
          else if (field === 'event') event.type = text;
          else if (field === 'data') event.data.push(text);
        }
      }
    }
  }

  function dispatch(event) {
    if (event.id !== null) lastId = event.id;
    let data = null;
    try {
      data = JSON.parse(event.data.join('\n'));
    } catch {
      return;
    }
    onEvent({id: event.id, type: event.type, data});
  }

  connect();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      if (controller) controller.abort();
    },
  };
}
