namespace WinterAI.Domain.Protocol.Platform;

public sealed record TextContent(string Content);
