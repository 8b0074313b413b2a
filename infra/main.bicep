// DocServer Functions: storage, monitoring, the function app (.NET 10 isolated worker on Windows Elastic Premium)
// and the Azure Relay tunnel to the MLX hosts on the home network. See infra/README.md.
targetScope = 'resourceGroup'

@description('Prefix of every resource name; 3-11 lowercase letters and digits.')
@minLength(3)
@maxLength(11)
param name string

param location string = resourceGroup().location

@description('The MLX hosts: name (endpoint and gate name), hostName and port as seen from the home network, model served.')
param hosts array = [
  { name: 'macmini', hostName: 'macmini.local', port: 8080, model: 'mlx-community/gemma-3-27b-it-4bit' }
]

@description('G12: the hosts (names from hosts) that serve asks, comma-separated; several that serve the same model form a pool.')
param askEndpoints string = 'macmini'
param backgroundEndpoints string = 'macmini'
param askWaitBudget string = '00:00:20'
param backgroundWaitBudget string = '00:10:00'
param digestSchedule string = '0 0 7 * * *'
param gateSweepSchedule string = '*/5 * * * * *'
@description('The Durable task hub: its queues, tables and blobs are named after it (letters and digits).')
param taskHub string = 'DocServer'

var suffix = uniqueString(resourceGroup().id)
var relayNamespaceName = '${name}-relay-${suffix}'

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: { name: '${name}${suffix}', location: location }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { name: '${name}-${suffix}', location: location }
}

module relay 'modules/relay.bicep' = {
  name: 'relay'
  params: { name: relayNamespaceName, location: location, hosts: hosts }
}

module app 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: '${name}-func-${suffix}'
    location: location
    storageAccountName: storage.outputs.name
    relayNamespaceName: relay.outputs.namespaceName
    appInsightsConnectionString: monitoring.outputs.connectionString
    hosts: hosts
    askEndpoints: askEndpoints
    backgroundEndpoints: backgroundEndpoints
    askWaitBudget: askWaitBudget
    backgroundWaitBudget: backgroundWaitBudget
    digestSchedule: digestSchedule
    gateSweepSchedule: gateSweepSchedule
    taskHub: taskHub
  }
}

output appName string = app.outputs.name
output appUrl string = 'https://${app.outputs.hostName}'
output relayNamespace string = relay.outputs.namespaceName
output hybridConnections array = relay.outputs.connectionNames
// The listener's keys are not an output: deployment outputs are kept in the deployment history.
// infra/README.md reads them with `az relay hybrid-connection authorization-rule keys list`.
