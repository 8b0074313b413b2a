// The tunnel to the Macs: one Azure Relay Hybrid Connection per MLX host. The app sends through it;
// a listener on the home network (Hybrid Connection Manager) accepts and forwards to host:port.
param name string
param location string

@description('The MLX hosts: name (also the gate and endpoint name), hostName and port as the listener reaches them.')
param hosts array

resource namespace 'Microsoft.Relay/namespaces@2021-11-01' = {
  name: name
  location: location
  sku: { name: 'Standard', tier: 'Standard' }
}

resource connections 'Microsoft.Relay/namespaces/hybridConnections@2021-11-01' = [for host in hosts: {
  parent: namespace
  name: host.name
  properties: {
    requiresClientAuthorization: true
    // The App Service integration reads the endpoint it forwards to from this metadata.
    userMetadata: string([{ key: 'endpoint', value: '${host.hostName}:${host.port}' }])
  }
}]

// Send: what the function app holds. Listen: what the listener on the home network holds.
resource send 'Microsoft.Relay/namespaces/hybridConnections/authorizationRules@2021-11-01' = [for (host, i) in hosts: {
  parent: connections[i]
  name: 'send'
  properties: { rights: [ 'Send' ] }
}]

resource listen 'Microsoft.Relay/namespaces/hybridConnections/authorizationRules@2021-11-01' = [for (host, i) in hosts: {
  parent: connections[i]
  name: 'listen'
  properties: { rights: [ 'Listen' ] }
}]

output namespaceName string = namespace.name
output connectionNames array = [for (host, i) in hosts: connections[i].name]
