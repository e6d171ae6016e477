namespace Failover.Local.Models;

/// <summary>
/// Evaluates a composite alarm's AlarmRule as the PutCompositeAlarm API reference (API_PutCompositeAlarm.html,
/// parameter AlarmRule) defines it: the functions <c>ALARM(x)</c>, <c>OK(x)</c> and <c>INSUFFICIENT_DATA(x)</c>,
/// TRUE if the alarm x (a name or an ARN, "surrounded with double-quotes" or not) is in that state; the constants
/// <c>TRUE</c> and <c>FALSE</c>; the operators <c>AND</c>, <c>OR</c>, <c>NOT</c> and parentheses.
/// </summary>
/// <remarks>
/// The reference does not state how AND and OR bind without parentheses; the model uses the usual Boolean
/// precedence (NOT before AND before OR). Keywords are upper case, as the reference writes them. An unquoted alarm
/// name runs to the next closing parenthesis.
/// </remarks>
public static class CompositeAlarmRule
{
    /// <summary>True when <paramref name="alarmRule"/> holds for the alarm states <paramref name="stateOfAlarm"/> gives.</summary>
    /// <param name="alarmRule">The AlarmRule expression.</param>
    /// <param name="stateOfAlarm">The state (OK, ALARM, INSUFFICIENT_DATA) of the alarm with this name or ARN; null when there is no such alarm.</param>
    /// <exception cref="FormatException">The rule is not valid AlarmRule syntax; the message names the 0-based position.</exception>
    /// <exception cref="ArgumentException">The rule names an alarm that does not exist or has no valid state.</exception>
    public static bool Evaluate(string alarmRule, Func<string, string?> stateOfAlarm)
    {
        ArgumentNullException.ThrowIfNull(alarmRule);
        ArgumentNullException.ThrowIfNull(stateOfAlarm);
        var parser = new Parser(alarmRule, stateOfAlarm);
        var result = parser.Or();
        parser.ExpectEnd();
        return result;
    }

    private sealed class Parser(string rule, Func<string, string?> stateOfAlarm)
    {
        private static readonly string[] Functions = [AlarmEvaluator.Alarm, AlarmEvaluator.Ok, AlarmEvaluator.InsufficientData];
        private int _position;

        // Both operands are always parsed and evaluated, so a syntax error after a deciding operand is still found.
        public bool Or()
        {
            var value = And();
            while (TryKeyword("OR"))
            {
                value |= And();
            }

            return value;
        }

        public void ExpectEnd()
        {
            SkipSpaces();
            if (_position < rule.Length)
            {
                throw Error("AND, OR or the end of the rule");
            }
        }

        private bool And()
        {
            var value = Not();
            while (TryKeyword("AND"))
            {
                value &= Not();
            }

            return value;
        }

        private bool Not() => TryKeyword("NOT") ? !Not() : Primary();

        private bool Primary()
        {
            SkipSpaces();
            if (TrySymbol('('))
            {
                var value = Or();
                Expect(')');
                return value;
            }

            var start = _position;
            var word = Word();
            switch (word)
            {
                case "TRUE":
                    return true;
                case "FALSE":
                    return false;
                case var function when Functions.Contains(function, StringComparer.Ordinal):
                    Expect('(');
                    var alarm = AlarmName();
                    Expect(')');
                    var state = stateOfAlarm(alarm);
                    if (state is null || !Functions.Contains(state, StringComparer.Ordinal))
                    {
                        throw new ArgumentException($"AlarmRule: {function}({alarm}) at position {start} names an alarm {(state is null ? "that does not exist" : $"in the unknown state '{state}'")}.", nameof(stateOfAlarm));
                    }

                    return state == function;
                default:
                    _position = start;
                    throw Error("ALARM(...), OK(...), INSUFFICIENT_DATA(...), TRUE, FALSE, NOT or '('");
            }
        }

        private string AlarmName()
        {
            SkipSpaces();
            var start = _position;
            string name;
            if (TrySymbol('"'))
            {
                var close = rule.IndexOf('"', _position);
                if (close < 0)
                {
                    _position = start;
                    throw Error("an alarm name closed with '\"'");
                }

                name = rule[_position..close];
                _position = close + 1;
            }
            else
            {
                var close = rule.IndexOf(')', _position);
                name = (close < 0 ? rule[_position..] : rule[_position..close]).Trim();
                _position = close < 0 ? rule.Length : close;
            }

            if (name.Length == 0)
            {
                _position = start;
                throw Error("an alarm name or ARN");
            }

            return name;
        }

        private bool TryKeyword(string keyword)
        {
            SkipSpaces();
            var start = _position;
            if (Word() == keyword)
            {
                return true;
            }

            _position = start;
            return false;
        }

        private string Word()
        {
            var start = _position;
            while (_position < rule.Length && (char.IsAsciiLetter(rule[_position]) || rule[_position] == '_'))
            {
                _position++;
            }

            return rule[start.._position];
        }

        private bool TrySymbol(char symbol)
        {
            SkipSpaces();
            if (_position < rule.Length && rule[_position] == symbol)
            {
                _position++;
                return true;
            }

            return false;
        }

        private void Expect(char symbol)
        {
            if (!TrySymbol(symbol))
            {
                throw Error($"'{symbol}'");
            }
        }

        private void SkipSpaces()
        {
            while (_position < rule.Length && char.IsWhiteSpace(rule[_position]))
            {
                _position++;
            }
        }

        private FormatException Error(string expected)
        {
            var found = _position < rule.Length ? $"'{rule[_position..Math.Min(rule.Length, _position + 20)]}'" : "the end of the rule";
            return new FormatException($"AlarmRule: expected {expected} at position {_position}, found {found}.");
        }
    }
}
