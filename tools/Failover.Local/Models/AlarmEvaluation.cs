namespace Failover.Local.Models;

/// <summary>The outcome of one alarm evaluation by <see cref="AlarmEvaluator"/>.</summary>
/// <param name="State">OK, ALARM or INSUFFICIENT_DATA.</param>
/// <param name="Reason">Why, in words, like an alarm's StateReason.</param>
/// <param name="BreachingPeriods">Evaluated periods whose datapoints breach the threshold (filled-in missing periods not counted).</param>
/// <param name="MissingPeriods">Evaluated periods without any datapoint.</param>
public sealed record AlarmEvaluation(string State, string Reason, int BreachingPeriods, int MissingPeriods);
