namespace Failover.Functions.Tests;

/// <summary>Locates the repository root: the nearest directory above the test binaries that holds Failover.sln.</summary>
internal static class RepositoryRoot
{
    private const string SolutionFileName = "Failover.sln";

    private static readonly Lazy<string> Root = new(Find);

    /// <summary>Absolute path of the directory containing Failover.sln.</summary>
    public static string Path => Root.Value;

    /// <summary>Absolute path of <paramref name="relativePath"/> (forward slashes allowed) under the repository root.</summary>
    public static string Combine(string relativePath) =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, relativePath.Replace('/', System.IO.Path.DirectorySeparatorChar)));

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, SolutionFileName)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No directory above '{AppContext.BaseDirectory}' contains {SolutionFileName}; run the tests from inside the repository.");
    }
}
