using System.Reflection;
using WinterAI.Domain.Turns;
using WinterAI.Web.Admin;

namespace WinterAI.Tests;

/// <summary>README.md and .env.sample promise to list every configuration key; this keeps them honest.</summary>
public sealed class DocumentationTests
{
    /// <summary>Every key but the texts (<c>Messages:*</c>), which README lists together and .env.sample by example.</summary>
    private static IEnumerable<string> Keys() =>
        EffectiveConfiguration.Sections.Where(s => s.Section != MessagesOptions.Section).SelectMany(s => s.Options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Select(p => $"{s.Section}:{p.Name}"));

    private static string RepositoryFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WinterAI.sln")))
            {
                return File.ReadAllText(Path.Combine(dir.FullName, name));
            }
        }

        throw new FileNotFoundException("WinterAI.sln not found above the test directory.");
    }

    [Test]
    public void TheReadmeConfigurationTableListsEveryKey()
    {
        var readme = RepositoryFile("README.md");

        Keys().Where(key => !readme.Contains($"`{key}`", StringComparison.Ordinal)).ShouldBeEmpty();
    }

    [Test]
    public void TheEnvSampleListsEveryKeyAsAnEnvironmentVariable()
    {
        var sample = RepositoryFile(".env.sample");

        // A section of named entries (Dify:Inputs:{variable}) is shown by example: Dify__Inputs__openid=user.
        Keys().Select(key => key.Replace(":", "__", StringComparison.Ordinal))
            .Where(variable => !sample.Contains(variable + "=", StringComparison.Ordinal) && !sample.Contains(variable + "__", StringComparison.Ordinal))
            .ShouldBeEmpty();
    }

    [Test]
    public void TheReadmeOpensWithTheTwoCommands()
    {
        var readme = RepositoryFile("README.md");
        var firstBlock = readme[readme.IndexOf("```", StringComparison.Ordinal)..];

        firstBlock.ShouldStartWith("```bash\ndotnet run --project WinterAI.Web");
        firstBlock.Split('\n')[2].ShouldStartWith("dotnet test");
    }
}
