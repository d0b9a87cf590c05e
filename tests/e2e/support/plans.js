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
