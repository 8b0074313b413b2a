// The storage account: the app's tables, queues and blobs, and the Functions host's own state.
param name string
param location string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // Elastic Premium keeps the app's files on an Azure Files share, which the platform reaches only
    // with the account key (WEBSITE_CONTENTAZUREFILECONNECTIONSTRING). The app itself uses its identity.
    allowSharedKeyAccess: true
  }
}

output id string = account.id
output name string = account.name
