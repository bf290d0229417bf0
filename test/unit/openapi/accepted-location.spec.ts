import { describe, expect, it } from '@jest/globals';
import { acceptedLocation } from '../../../src/common/http/accepted-location.js';

describe('Location of a 202 answer', () => {
  it('is the object being deleted', () => {
    expect(acceptedLocation('DELETE', '/v1/apps/shop/environments/staging?x=1')).toBe('/v1/apps/shop/environments/staging');
  });

  it('is the object an action runs on', () => {
    expect(acceptedLocation('POST', '/v1/apps/shop/environments/staging/restart')).toBe('/v1/apps/shop/environments/staging');
  });
});
