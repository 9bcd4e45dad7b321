/**
 * Smart quotes and dashes as typed, as Google Docs and Word do: "text" → “text”, it's → it’s,
 * -- → —, ... → …; Backspace right after undoes the replacement. Only these: the other
 * substitutions Tiptap offers ((c) → ©, 1/2 → ½, -> → →, 2x3 → 2×3) would change what members
 * type in references and proposal numbers.
 */
import Typography from '@tiptap/extension-typography';

export const SmartTypography = Typography.configure({
  leftArrow: false,
  rightArrow: false,
  copyright: false,
  trademark: false,
  servicemark: false,
  registeredTrademark: false,
  oneHalf: false,
  plusMinus: false,
  notEqual: false,
  laquo: false,
  raquo: false,
  multiplication: false,
  superscriptTwo: false,
  superscriptThree: false,
  oneQuarter: false,
  threeQuarters: false,
});
