
namespace WinterAI.Domain.Protocol.Messages;

public sealed record LocationEvent(double Latitude, double Longitude, double Precision) : EventMessage("LOCATION");
