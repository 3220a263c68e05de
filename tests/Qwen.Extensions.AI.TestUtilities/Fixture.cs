namespace Qwen.Extensions.AI.TestUtilities;

/// <summary>Loads files under <c>Fixtures/</c> (copied next to the test assembly): request goldens, response bodies, SSE streams.</summary>
public static class Fixture
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static string Text(string relativePath) => File.ReadAllText(PathOf(relativePath));

    public static byte[] Bytes(string relativePath) => File.ReadAllBytes(PathOf(relativePath));

    private static string PathOf(string relativePath)
    {
        var path = Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));
        return File.Exists(path) ? path : throw new FileNotFoundException($"No fixture 'Fixtures/{relativePath}' next to the test assembly.", path);
    }
}
