using System.Text.RegularExpressions;

namespace WinterAI.Tests;

/// <summary>
/// The floor plan of WinterAI.Domain (docs/architecture.md): its folders depend one way, channels do not know each
/// other, and the domain knows nothing of the web framework.
/// </summary>
public sealed partial class ArchitectureTests
{
    /// <summary>Which folder may import which. Channels/{one channel} may also use Channels/ itself (what the channels share).</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Channels"] = ["Protocol", "Turns", "Dify", "Storage"],
        ["Protocol"] = ["Storage"],
        ["Turns"] = ["Dify", "Storage"],
        ["Dify"] = [],
        ["Storage"] = [],
    };

    private static string DomainDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WinterAI.sln")))
            {
                return Path.Combine(dir.FullName, "WinterAI.Domain");
            }
        }

        throw new DirectoryNotFoundException("WinterAI.sln not found above the test directory.");
    }

    private static IEnumerable<(string File, string Namespace, IReadOnlyList<string> Imports)> SourceFiles() =>
        Directory.EnumerateFiles(DomainDirectory(), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f =>
            {
                var text = File.ReadAllText(f);
                return (f, NamespaceLine().Match(text).Groups[1].Value, (IReadOnlyList<string>)UsingLine().Matches(text).Select(m => m.Groups[1].Value).ToList());
            });

    /// <summary>"WinterAI.Domain.Channels.WeCom" → ("Channels", "WeCom"); the root namespace is the shared vocabulary (Follower).</summary>
    private static (string Folder, string? Channel) Place(string ns)
    {
        var parts = ns.Split('.');
        return parts.Length < 3 ? ("", null) : (parts[2], parts[2] == "Channels" && parts.Length > 3 ? parts[3] : null);
    }

    private static List<string> Violations()
    {
        var violations = new List<string>();
        foreach (var (file, ns, imports) in SourceFiles())
        {
            var (folder, channel) = Place(ns);
            foreach (var import in imports.Where(i => i.StartsWith("WinterAI.Domain", StringComparison.Ordinal)))
            {
                var (target, targetChannel) = Place(import);
                var ok = target == "" || target == folder && (targetChannel is null || targetChannel == channel)
                    || (folder != "" && Allowed.TryGetValue(folder, out var allowed) && allowed.Contains(target));
                if (!ok)
                {
                    violations.Add($"{Path.GetFileName(file)} ({ns}) imports {import}");
                }
            }
        }

        return violations;
    }

    [Test]
    public void DomainFoldersDependOnlyDownwards() => Violations().ShouldBeEmpty();

    [Test]
    public void TheAllowedArrowsHaveNoCycle()
    {
        var visiting = new HashSet<string>();
        var done = new HashSet<string>();

        void Visit(string folder)
        {
            visiting.Add(folder).ShouldBeTrue($"a cycle runs through {folder}");
            foreach (var next in Allowed[folder].Where(n => !done.Contains(n)))
            {
                Visit(next);
            }

            visiting.Remove(folder);
            done.Add(folder);
        }

        foreach (var folder in Allowed.Keys.Where(f => !done.Contains(f)))
        {
            Visit(folder);
        }
    }

    [Test]
    public void EveryDomainFolderIsOnTheFloorPlan() =>
        SourceFiles().Select(f => Place(f.Namespace).Folder).Where(f => f != "").Distinct().ShouldAllBe(f => Allowed.ContainsKey(f));

    [Test]
    public void TheDomainDoesNotReferenceTheWebFramework()
    {
        File.ReadAllText(Path.Combine(DomainDirectory(), "WinterAI.Domain.csproj")).ShouldNotContain("Microsoft.AspNetCore");
        SourceFiles().SelectMany(f => f.Imports).ShouldNotContain(i => i.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex UsingLine();
}
