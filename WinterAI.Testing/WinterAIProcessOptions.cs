namespace WinterAI.Testing;

/// <summary>How <see cref="WinterAIProcess.StartAsync(IReadOnlyDictionary{string, string?}, WinterAIProcessOptions, CancellationToken)"/> runs WinterAI.</summary>
public sealed record WinterAIProcessOptions
{
    /// <summary>The built WinterAI.Web.dll; default the one beside the running assembly (a test project's output references it).</summary>
    public string? WebDll { get; init; }

    /// <summary>Default: the dll's directory, where its appsettings.json is, as operators run it.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Default: a free one, and another once if that was taken before WinterAI bound it.</summary>
    public int? Port { get; init; }

    /// <summary>For error messages and the pid file.</summary>
    public string Name { get; init; } = "winterai";

    /// <summary>Where the output goes; default kept in memory (<see cref="WinterAIProcess.Output"/>).</summary>
    public string? LogPath { get; init; }

    /// <summary>How long WinterAI may take to answer <c>/healthz</c>. Default 30 s.</summary>
    public TimeSpan StartDeadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long disposing lets WinterAI shut down after SIGTERM before killing it. Default zero: killed at once.</summary>
    public TimeSpan ShutdownGrace { get; init; }
}
