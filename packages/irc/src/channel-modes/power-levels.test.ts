import { describe, expect, it } from '@jest/globals';
import { operatorLevel, powerLevelForModes } from './power-levels';

const map = { o: 50, h: 25, v: 1 };

describe('channel modes to power levels', () => {
  it('an operator who also has voice gets the operator level', () => {
    expect(powerLevelForModes(['v', 'o'], map)).toBe(50);
  });
  it('voice alone gives the voice level, and no mode gives 0', () => {
    expect(powerLevelForModes(['v'], map)).toBe(1);
    expect(powerLevelForModes([], map)).toBe(0);
  });
  it('modes missing from the map count as nothing', () => {
    expect(powerLevelForModes(['q'], map)).toBe(0);
  });
  it('the operator level defaults to 50 when the map has no o', () => {
    expect(operatorLevel({ v: 1 })).toBe(50);
    expect(operatorLevel(map)).toBe(50);
  });
});
