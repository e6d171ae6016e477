namespace Failover.Local.Iam;

/// <summary>
/// An IAM policy's Action value as IAM matches it: the service prefix and the action name are case-insensitive,
/// <c>*</c> matches any run of characters (none included) and <c>?</c> exactly one ("IAM JSON policy elements:
/// Action", IAM User Guide, reference_policies_elements_action.html).
/// </summary>
/// <remarks>
/// Matched directly rather than through a regular expression built per check: the gateway checks every DRS call of
/// every function against each action of its role, and building those expressions (more of them than Regex's cache
/// keeps) took CPU from the run it was checking.
/// </remarks>
public static class IamActionPattern
{
    /// <summary>True when <paramref name="action"/> (service:Name) is one of the actions <paramref name="pattern"/> names.</summary>
    public static bool Matches(string pattern, string action)
    {
        // Greedy matching with one backtrack point, the last '*' seen: each '*' only needs to retry from where the
        // previous attempt of that same '*' stopped.
        int p = 0, a = 0, star = -1, resume = 0;
        while (a < action.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(action[a])))
            {
                p++;
                a++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = a;
            }
            else if (star >= 0)
            {
                p = star + 1;
                a = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
