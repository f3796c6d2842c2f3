export { ApportionmentError, apportion } from './apportion.ts';
export {
  describeParseFailure,
  MAX_ENTERED_AMOUNT,
  Money,
  MoneyParseError,
  type MoneyParseFailure,
} from './money.ts';
export { amountString, positiveAmountString } from './schema.ts';
