namespace WinterAI.Domain.Platform;

public sealed record TextContent(string Content);
