import type { ResourceDef } from './resources.js';
import { asMap, isMap, type JsonMap, type KubeObject, deepClone } from './types.js';

/**
 * events.k8s.io/v1 ⇄ core/v1 Event, the field mapping of the upstream conversion: both APIs
 * serve the same stored events (one store, two views).
 */
const TO_CORE: [string, string][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
  ['reportingController', 'reportingComponent'],
];

export function isEventsV1(view: ResourceDef): boolean {
  return view.group === 'events.k8s.io';
}

export function eventToStorage(storage: ResourceDef, body: unknown): unknown {
  if (!isMap(body)) return body;
  const out: JsonMap = { ...deepClone(body), apiVersion: storage.apiVersion };
  for (const [v1, core] of TO_CORE) {
    if (v1 in out) {
      out[core] = out[v1];
      delete out[v1];
    }
  }
  if (isMap(out['deprecatedSource'])) {
    out['source'] = out['deprecatedSource'];
    delete out['deprecatedSource'];
  }
  return out;
}

export function eventFromStorage(view: ResourceDef, obj: KubeObject): KubeObject {
  const out: KubeObject = { ...obj, apiVersion: view.apiVersion, kind: view.kind };
  for (const [v1, core] of TO_CORE) {
    if (core in out) {
      if (out[core] !== undefined && out[core] !== '') out[v1] = out[core];
      delete out[core];
    }
  }
  const source = asMap(obj['source']);
  delete out['source'];
  if (Object.keys(source).length) out['deprecatedSource'] = source;
  return out;
}
