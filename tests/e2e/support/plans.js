/**
 * A plan the tests give at run time (so the full core reads it): one track event,
 * `order completed`, whose `order_id` is a required string. Nothing of the embedded
 * plan is in it, so a call that follows one plan breaks the other.
 */
export const ORDER_PLAN = {
  rules: [
    {
      key: 'order completed',
      type: 'TRACK',
      version: 1,
      jsonSchema: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
    },
  ],
};

/**
 * A plan of an app's own, as `trackplan build` compiles it in a new app (not the
 * package's demo plan): a Public API export with patterns, formats and enums, written
 * to the tracking guide.
 */
export const USER_PLAN = {
  id: 'tp_user',
  name: 'Appointments',
  rules: [
    {
      key: 'appointment booked',
      type: 'TRACK',
      version: 1,
      jsonSchema: {
        type: 'object',
        properties: {
          episode_id: { type: 'string', pattern: '^ep_' },
          appointment_id: { type: 'string', minLength: 4 },
          user_type: { enum: ['patient', 'practitioner'] },
          starts_at: { type: 'string', format: 'date-time' },
        },
        required: ['episode_id', 'appointment_id', 'user_type'],
      },
    },
    {
      key: 'appointment cancelled',
      type: 'TRACK',
      version: 1,
      jsonSchema: {
        type: 'object',
        properties: { episode_id: { type: 'string' }, appointment_id: { type: 'string' }, reason: { enum: ['illness', 'other'] } },
        required: ['episode_id', 'appointment_id'],
      },
    },
    {
      type: 'IDENTIFY',
      version: 1,
      jsonSchema: { type: 'object', properties: { user_type: { enum: ['patient', 'practitioner'] }, email: { type: 'string', format: 'email' } } },
    },
  ],
};
