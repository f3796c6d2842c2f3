import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.ts';
import { loadConfig } from '../../src/config.ts';
import { MemoryStoredAnswers } from '../../src/events/store/memory/memory-stored-answers.ts';
import type { EventStore } from '../../src/events/store/port.ts';
import { assembleLedger } from '../../src/main.ts';
import { storeWith } from '../support/store-wrapper.ts';
import { type Harness, setUpPool, spendBody, startHarness, YEAR_URL } from './api-harness.ts';

/** Every POST is idempotent under its caller-scoped Idempotency-Key. */
let api: Harness;
beforeEach(async () => {
  api = await startHarness();
  await setUpPool(api);
});
afterEach(async () => {
  await api.close();
});

const spendEvents = async () =>
  (await api.store.readAll(1, { limit: 10_000 })).events.filter(
    (event) => event.type === 'SpendRecorded.v1',
  );

describe('Idempotency-Key', () => {
  it('is required on every POST', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: `${YEAR_URL}/spend`,
      headers: { authorization: `Bearer ${api.tokens.officer}` },
      payload: spendBody('s1'),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().type).toBe('/problems/idempotency-key-required');
    expect(await spendEvents()).toHaveLength(0);
  });

  it('replays the original status and body for the same key and body, with Idempotent-Replayed', async () => {
    const first = await api.post(`${YEAR_URL}/spend`, spendBody('s1'), 'officer', {
      'idempotency-key': 'spend-1',
    });
    const again = await api.post(`${YEAR_URL}/spend`, spendBody('s1'), 'officer', {
      'idempotency-key': 'spend-1',
    });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await spendEvents()).toHaveLength(1);
  });

  it('replays a refusal as it was first given, even once the request would now succeed', async () => {
    const body = {
      allocationId: 'big',
      schemeId: '1',
      fundingStream: 'Minimum CCG Contribution',
      amount: '200000.00',
    };
    const refused = await api.post(`${YEAR_URL}/allocations`, body, 'officer', {
      'idempotency-key': 'alloc-1',
    });
    expect(refused.json().type).toBe('/problems/insufficient-unallocated-funds');
    await api.post(
      `${YEAR_URL}/contribution-variations`,
      {
        variationId: 'v1',
        partnerId: 'ENHCCG',
        fundingStream: 'Minimum CCG Contribution',
        change: '500000.00',
      },
      'officer',
    );
    await api.post(`${YEAR_URL}/contribution-variations/v1/approval`, undefined, 'cfo');
    const replayed = await api.post(`${YEAR_URL}/allocations`, body, 'officer', {
      'idempotency-key': 'alloc-1',
    });
    expect(replayed.statusCode).toBe(refused.statusCode);
    expect(replayed.json()).toEqual(refused.json());
    expect(replayed.headers['content-type']).toMatch(/problem\+json/);
  });

  it('refuses the same key with a different body: 422, nothing recorded', async () => {
    await api.post(`${YEAR_URL}/spend`, spendBody('s1'), 'officer', { 'idempotency-key': 'k' });
    const different = await api.post(
      `${YEAR_URL}/spend`,
      spendBody('s1', { amount: '99.00' }),
      'officer',
      { 'idempotency-key': 'k' },
    );
    expect(different.statusCode).toBe(422);
    expect(different.json().type).toBe('/problems/idempotency-key-reused');
    expect(await spendEvents()).toHaveLength(1);
  });

  it('scopes keys to the caller: the same key from two people is two requests', async () => {
    const first = await api.post(`${YEAR_URL}/spend`, spendBody('s1'), 'officer', {
      'idempotency-key': 'shared',
    });
    const second = await api.post(`${YEAR_URL}/spend`, spendBody('s2'), 'secondOfficer', {
      'idempotency-key': 'shared',
    });
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(await spendEvents()).toHaveLength(2);
  });

  it('records once two requests under one key sent at the same moment, telling the second', async () => {
    const [first, second] = await Promise.all([
      api.post(`${YEAR_URL}/spend`, spendBody('same-moment'), 'officer', {
        'idempotency-key': 'same-moment',
      }),
      api.post(`${YEAR_URL}/spend`, spendBody('same-moment'), 'officer', {
        'idempotency-key': 'same-moment',
      }),
    ]);
    const answers = [first, second].map((answer) => answer.statusCode).sort();
    // The second is told the first is in flight (409), or, if the first is done, replayed (201).
    expect([
      [201, 201],
      [201, 409],
    ]).toContainEqual(answers);
    const recorded = (await spendEvents()).filter(
      (event) => (event.data as { spendId: string }).spendId === 'same-moment',
    );
    expect(recorded).toHaveLength(1);
  });

  it('answers 409 to a second request while the first with its key is in flight', async () => {
    // The first request is held at its append until the second has been answered.
    let holding = false;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const held = await startHarness({
      wrapStore: (store) =>
        storeWith(store, {
          append: async (...args: Parameters<EventStore['append']>) => {
            if (holding) await gate;
            return store.append(...args);
          },
        }),
    });
    try {
      await setUpPool(held);
      holding = true;
      const send = () =>
        held.post(`${YEAR_URL}/spend`, spendBody('s1'), 'officer', { 'idempotency-key': 'racing' });
      const first = send();
      await new Promise((resolve) => setTimeout(resolve, 20));
      const second = await send();
      expect(second.statusCode).toBe(409);
      expect(second.json().type).toBe('/problems/idempotency-key-in-flight');
      release();
      expect((await first).statusCode).toBe(201);
      const spends = (await held.store.readAll(1, { limit: 10_000 })).events.filter(
        (event) => event.type === 'SpendRecorded.v1',
      );
      expect(spends).toHaveLength(1);
    } finally {
      await held.close();
    }
  });

  it('gives 50 concurrent identical requests exactly one effect', async () => {
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        api.post(`${YEAR_URL}/spend`, spendBody('s50'), 'officer', { 'idempotency-key': 'fifty' }),
      ),
    );
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    for (const response of responses.filter((candidate) => candidate.statusCode === 201))
      expect(response.json()).toEqual(
        responses.find((candidate) => candidate.statusCode === 201)?.json(),
      );
    expect(await spendEvents()).toHaveLength(1);
  });

  it('survives a restart: the answer is found again from the event store when the record is lost', async () => {
    const first = await api.post(`${YEAR_URL}/spend`, spendBody('s1'), 'officer', {
      'idempotency-key': 'durable',
    });
    // A crash between recording the events and saving the answer: the answers' file is gone.
    const fresh = await restartedOnSameStore(api);
    const again = await fresh.post(`${YEAR_URL}/spend`, spendBody('s1'), 'officer', {
      'idempotency-key': 'durable',
    });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    const otherBody = await fresh.post(
      `${YEAR_URL}/spend`,
      spendBody('s1', { amount: '1.00' }),
      'officer',
      { 'idempotency-key': 'durable' },
    );
    expect(otherBody.json().type).toBe('/problems/idempotency-key-reused');
    expect(await spendEvents()).toHaveLength(1);
    await fresh.close();
  });
});

/** The API restarted: a new process's faces over the same store, with its stored answers lost. */
async function restartedOnSameStore(api: Harness) {
  const ledger = await assembleLedger({
    config: loadConfig({ LEDGER_DATA_DIR: api.directory }),
    store: storeWith(api.store, { close: async () => {} }),
    densePositions: true,
    answers: new MemoryStoredAnswers(),
    readModelPath: join(api.directory, 'restarted-projections.sqlite'),
    clock: () => new Date('2017-06-01T00:00:00.000Z'),
  });
  const app: FastifyInstance = await buildApp(
    {
      writeFace: ledger.writeFace,
      readFace: ledger.readFace,
      spendImports: ledger.spendImports,
      authenticate: (bearer) => ledger.access.authenticate(bearer),
      config: loadConfig({}),
    },
    { logger: false },
  );
  return {
    post: (url: string, body: unknown, as: 'officer', headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${api.tokens[as]}`, ...headers },
        payload: body as object,
      }),
    async close() {
      await app.close();
      await ledger.close();
    },
  };
}
