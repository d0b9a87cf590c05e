/**
 * Inputs of the benchmark: the demo plan's events, a mix of valid and invalid calls to
 * them, and a generated plan of any size (with a valid call to one of its events) for
 * start-up and weight measurements.
 */

/** Calls to the default plan: 8 valid, 2 invalid (one wrong enum, one missing property). */
export const CALLS = [
  ['user signed up', { user_type: 'patient', signup_method: 'email' }],
  ['call started', { episode_id: 'ep_8c1f2a', call_id: 'call_Q2x9fL0b', user_type: 'patient', call_type: 'video' }],
  ['call ended', { episode_id: 'ep_8c1f2a', call_id: 'call_Q2x9fL0b', type: 'ended_by_practitioner', duration_seconds: 312.5 }],
  ['questionnaire submitted', { episode_id: 'ep_8c1f2a', qnaire_tid: 'qnaire_71ab', questionnaire_name: 'PHQ-9', question_count: 9, user_type: 'patient' }],
  ['call started', { episode_id: 'ep_77d0', call_id: 'call_a81', user_type: 'practitioner' }],
  ['call ended', { episode_id: 'ep_77d0', call_id: 'call_a81', type: 'ended_by_patient' }],
  ['user signed up', { user_type: 'practitioner', signup_method: 'invite', invite_id: 'inv_93' }],
  ['questionnaire submitted', { episode_id: 'ep_77d0', qnaire_tid: 'qnaire_2' }],
  ['call ended', { episode_id: 'ep_77d0', call_id: 'call_a81', type: 'Patient' }],
  ['call started', { call_id: 'call_a82', user_type: 'patient' }],
];

/**
 * A Public API v2 plan with `count` TRACK rules shaped like real ones (a handful of typed,
 * enum, required and nested properties each).
 * @param {number} count
 */
export function generatePlan(count) {
  const rules = [];
  for (let i = 0; i < count; i++) {
    rules.push({
      key: `object${i} action${i % 7}ed`,
      type: 'TRACK',
      version: 1 + (i % 3),
      jsonSchema: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        description: `Generated event ${i}`,
        type: 'object',
        properties: {
          episode_id: { type: 'string', minLength: 1, description: 'The episode' },
          [`object${i}_id`]: { type: 'string', pattern: '^[a-z]+_[A-Za-z0-9]+$' },
          user_type: { enum: ['patient', 'practitioner', 'hr_admin', 'admin'] },
          count: { type: 'integer', minimum: 0, maximum: 1000 },
          ratio: { type: ['number', 'null'], exclusiveMaximum: 1 },
          tags: { type: 'array', items: { type: 'string' }, maxItems: 10 },
          details: { type: 'object', properties: { source: { type: 'string' }, at: { type: 'string', format: 'date-time' } } },
        },
        required: ['episode_id', `object${i}_id`, 'user_type'],
      },
    });
  }
  return { id: `tp_generated_${count}`, name: `generated ${count}`, rules };
}

/**
 * A call that follows event `i` of a plan {@link generatePlan} wrote: `[event, properties]`.
 * @param {number} i
 */
export function generatedCall(i) {
  return [`object${i} action${i % 7}ed`, { episode_id: 'ep_1', [`object${i}_id`]: 'obj_A1', user_type: 'patient', count: 3 }];
}
