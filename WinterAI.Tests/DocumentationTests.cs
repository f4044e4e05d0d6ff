using System.Reflection;
using WinterAI.Domain.Chat;
using WinterAI.Domain.Delivery;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;
using WinterAI.Domain.WeChat;
using WinterAI.Domain.WeCom;
using WinterAI.Web.Admin;

namespace WinterAI.Tests;

/// <summary>README.md and .env.sample promise to list every configuration key; this keeps them honest.</summary>
public sealed class DocumentationTests
{
    private static readonly (string Section, Type Options)[] Sections =
    [
        (WeChatOptions.Section, typeof(WeChatOptions)),
        (WeComOptions.Section, typeof(WeComOptions)),
        (DifyOptions.Section, typeof(DifyOptions)),
        (RedisOptions.Section, typeof(RedisOptions)),
        (LimitsOptions.Section, typeof(LimitsOptions)),
        (ChatOptions.Section, typeof(ChatOptions)),
        (AdminOptions.Section, typeof(AdminOptions)),
    ];

    private static IEnumerable<string> Keys() =>
        Sections.SelectMany(s => s.Options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
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

        Keys().Select(key => key.Replace(":", "__", StringComparison.Ordinal))
            .Where(variable => !sample.Contains(variable + "=", StringComparison.Ordinal))
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
