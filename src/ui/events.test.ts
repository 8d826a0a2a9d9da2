import type { CoreV1Event } from '@kubernetes/client-node';
import { MAX_EVENTS, uiEvents } from './events.js';

function event(reason: string, last: string | undefined, over: Partial<CoreV1Event> = {}): CoreV1Event {
  return {
    metadata: {},
    involvedObject: {},
    reason,
    message: `${reason} happened`,
    type: 'Normal',
    ...(last ? { lastTimestamp: new Date(last) } : {}),
    ...over,
  };
}

describe('uiEvents', () => {
  it('lists the newest first, with the reporting component and count', () => {
    expect(
      uiEvents([
        event('Launched', '2025-01-01T00:00:01Z', { source: { component: 'kmesos' } }),
        event('Unschedulable', '2025-01-01T00:00:03Z', {
          type: 'Warning',
          count: 4,
          reportingComponent: 'kmesos',
        }),
        event('Old', undefined),
      ]),
    ).toEqual([
      {
        type: 'Warning',
        reason: 'Unschedulable',
        message: 'Unschedulable happened',
        count: 4,
        last: '2025-01-01T00:00:03.000Z',
        source: 'kmesos',
      },
      {
        type: 'Normal',
        reason: 'Launched',
        message: 'Launched happened',
        count: 1,
        last: '2025-01-01T00:00:01.000Z',
        source: 'kmesos',
      },
      { type: 'Normal', reason: 'Old', message: 'Old happened', count: 1, last: undefined, source: '' },
    ]);
  });

  it(`keeps at most ${MAX_EVENTS}`, () => {
    const many = Array.from({ length: 50 }, (_, i) =>
      event(`E${i}`, new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString()),
    );
    const shown = uiEvents(many);
    expect(shown).toHaveLength(MAX_EVENTS);
    expect(shown[0]?.reason).toBe('E49');
  });
});
