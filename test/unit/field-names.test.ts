import { expect, test } from '@jest/globals';
import { Event } from '../../src/domain/event.js';
import { ProfileUpdate } from '../../src/domain/profile.js';

/**
 * Imports (`tideflow import events|profiles`) do not pass the HTTP guard: their schemas refuse
 * prototype keys themselves, so a record never builds an object whose prototype a file chose, and
 * `attributes.__proto__` never becomes a field path in an update.
 */
const event = (props: string) => ({
  id: 'e1',
  userId: 'u1',
  type: 'app_open',
  ts: '2026-11-20T10:00:00+08:00',
  props: JSON.parse(props) as unknown,
});

test.each(['constructor', 'prototype'])('%s is refused as an event prop and as a profile attribute', (key) => {
  expect(Event.safeParse(event(`{"${key}": 1}`)).success).toBe(false);
  expect(ProfileUpdate.safeParse({ attributes: JSON.parse(`{"${key}": {"admin": true}}`) as unknown }).success).toBe(
    false,
  );
});

test('__proto__ (which zod records drop) never reaches the parsed value nor its prototype', () => {
  const parsed = ProfileUpdate.parse({
    attributes: JSON.parse('{"__proto__": {"admin": true}, "tier": "gold"}') as unknown,
  });
  expect(Object.keys(parsed.attributes ?? {})).toEqual(['tier']);
  expect(Object.getPrototypeOf(parsed.attributes)).not.toHaveProperty('admin');
  expect(Object.keys(Event.parse(event('{"__proto__": 1, "a": 2}')).props ?? {})).toEqual(['a']);
});

test('ordinary names, including ones that merely contain those words, are accepted', () => {
  expect(Event.safeParse(event('{"source": "ad", "constructor_id": 1, "_proto": true}')).success).toBe(true);
  expect(ProfileUpdate.safeParse({ attributes: { riskTolerance: 'low', prototype_user: true } }).success).toBe(true);
});
