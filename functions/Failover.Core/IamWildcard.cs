namespace Failover.Core;

/// <summary>
/// IAM's policy wildcards: <c>*</c> matches any run of characters (none included) and <c>?</c> exactly one. A
/// statement's actions match without regard to case ("IAM JSON policy elements: Action", IAM User Guide,
/// reference_policies_elements_action.html); its resource ARNs match case-sensitively ("IAM JSON policy elements:
/// Resource", reference_policies_elements_resource.html).
/// </summary>
public static class IamWildcard
{
    /// <summary>True when <paramref name="text"/> is one of the values <paramref name="pattern"/> names.</summary>
    /// <param name="pattern">An Action or Resource value, wildcards included.</param>
    /// <param name="text">An action (<c>service:Name</c>) or an ARN.</param>
    /// <param name="ignoreCase">True for actions, false for resources.</param>
    public static bool Matches(string pattern, string text, bool ignoreCase)
    {
        // Greedy, with one back-tracking point, the last '*' seen: a later '*' can always stand in for what an earlier
        // one would have to retry, so earlier ones never need revisiting.
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || Same(pattern[p], text[t], ignoreCase)))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
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

    private static bool Same(char a, char b, bool ignoreCase) => a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
