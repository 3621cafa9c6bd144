namespace ActorRecorder.Engine.Settings.Internal;

/// <summary>How many single-character edits turn one key into another, to suggest the key a typo meant.</summary>
internal static class EditDistance
{
    /// <summary>
    /// Insertions, deletions, substitutions and swaps of two neighbours (optimal string alignment), ignoring case:
    /// <c>grace-perod</c> is 1 from <c>grace-period</c>, <c>rseolver</c> 1 from <c>resolver</c>.
    /// </summary>
    public static int Between(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
