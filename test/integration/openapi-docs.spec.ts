// /docs (Scalar) is titled Berth, reads the served document, knows the server and preselects the
// bearer scheme; asynchronous answers (202) say where to follow the work (#14).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newApp, newEnvironment } from '../support/factories.js';
import { expectStatus } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('API reference and asynchronous answers', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('serves /docs titled "Berth API" with the server and the bearer scheme preselected', async () => {
    const page = expectStatus(await app.anonymous.get('/docs'), 200);
    expect(page.text).toContain('<title>Berth API</title>');
    // The configuration Scalar is started with is embedded in the page.
    expect(page.text).toMatch(/"url":\s*"\/openapi\.json"/);
    expect(page.text).toMatch(/"preferredSecurityScheme":\s*"bearer"/);
    expect(page.text).toMatch(/"servers":\s*\[\s*\{\s*"url":\s*"\/"/);
    const doc = expectStatus(await app.anonymous.get<{ info: { title: string }; tags: Array<{ name: string }>; servers: Array<{ url: string }>; components: { securitySchemes: Record<string, { scheme: string }> } }>('/openapi.json'), 200).body;
    expect(doc.info.title).toBe('Berth API');
    expect(doc.tags[0]!.name).toBe('apps');
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(doc.components.securitySchemes.bearer).toEqual(expect.objectContaining({ scheme: 'bearer' }));
  });

  it('answers 202 with a Location to follow, on environment and app deletion', async () => {
    const parent = await newApp(app);
    const client = parent.team.owner.client;
    const keep = await newEnvironment(app, { app: parent, name: 'keep' });
    const gone = await newEnvironment(app, { app: parent, name: 'gone' });
    const deleting = expectStatus(await client.delete(gone.path), 202);
    expect(deleting.headers.get('location')).toBe(gone.path);
    expect(keep.path.startsWith(`/v1/apps/${parent.name}/`)).toBe(true);
    const appDeleting = expectStatus(await client.delete(`/v1/apps/${parent.name}`), 202);
    expect(appDeleting.headers.get('location')).toBe(`/v1/apps/${parent.name}`);
  });
});
